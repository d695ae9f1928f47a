CREATE TABLE "app_secrets" (
	"name" text PRIMARY KEY NOT NULL,
	"value" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "unsubscribe_token_hash" text;--> statement-breakpoint
ALTER TABLE "subscribers" ADD COLUMN "confirmation_queued_at" timestamp with time zone;--> statement-breakpoint
CREATE INDEX "subscribers_confirmation_queue" ON "subscribers" USING btree ("confirmation_queued_at");--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_unsubscribe_token_hash_unique" UNIQUE("unsubscribe_token_hash");--> statement-breakpoint
-- backfill (hand-written): the SHA-256 of every clear unsubscribe token, of the same string,
-- so the links in mails already sent keep working once the clear column is dropped (next
-- migration); and the rate-limit counters, whose keys held raw client addresses (they are
-- short-lived windows: dropping them only restarts the current ones).
UPDATE "subscribers" SET "unsubscribe_token_hash" = encode(sha256(convert_to("unsubscribe_token", 'UTF8')), 'hex') WHERE "unsubscribe_token_hash" IS NULL;
--> statement-breakpoint
DELETE FROM "rate_limits";
