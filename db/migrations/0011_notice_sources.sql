ALTER TABLE "notices" ADD COLUMN "source_id" integer;--> statement-breakpoint
ALTER TABLE "notices" ADD COLUMN "quote" jsonb;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;