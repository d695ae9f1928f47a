ALTER TABLE "digest_deliveries" ADD COLUMN "lease_token" text;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "cancelled_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "pending_preferences" jsonb;--> statement-breakpoint
CREATE INDEX "digest_deliveries_run_status" ON "digest_deliveries" USING btree ("run_id","status");--> statement-breakpoint
CREATE INDEX "subscribers_confirm_token" ON "subscribers" USING btree ("confirm_token_hash");