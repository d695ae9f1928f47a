ALTER TABLE "digest_deliveries" ADD COLUMN "send_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD COLUMN "resent_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD COLUMN "resent_by" integer;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_resent_by_users_id_fk" FOREIGN KEY ("resent_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;