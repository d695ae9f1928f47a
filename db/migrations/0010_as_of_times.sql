ALTER TABLE "count_change_sets" ADD COLUMN "as_of_time_known" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "csv_imports" ADD COLUMN "as_of" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "departed_time_known" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "arrived_time_known" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "status_as_of" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "count_change_sets_movement_as_of" ON "count_change_sets" USING btree ("movement_id","as_of","id");--> statement-breakpoint
-- backfill (hand-written)
-- A status already set before this column existed: true as of when it was last recorded.
UPDATE "movements" SET "status_as_of" = "updated_at" WHERE "status" <> 'planned' AND "status_as_of" IS NULL;
--> statement-breakpoint
-- The seed's figures carry their report's day without a time (the history is append-only: the
-- trigger is lifted for this one new column only).
ALTER TABLE "count_change_sets" DISABLE TRIGGER "count_change_sets_append_only";
--> statement-breakpoint
UPDATE "count_change_sets" SET "as_of_time_known" = false WHERE "actor_label" = 'seed: reports of March 2026';
--> statement-breakpoint
ALTER TABLE "count_change_sets" ENABLE TRIGGER "count_change_sets_append_only";
