ALTER TABLE "legs" ADD COLUMN "public_notes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "labels" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "public_notes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "movements" ADD COLUMN "public_quote" jsonb;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "working_language" text DEFAULT 'en' NOT NULL;--> statement-breakpoint
ALTER TABLE "routes" ADD COLUMN "public_notes" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "routes" ADD COLUMN "public_quote" jsonb;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "titles" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "sources" ADD COLUMN "outlets" jsonb DEFAULT '{}'::jsonb NOT NULL;--> statement-breakpoint
-- backfill (hand-written)
-- Text written before content was per language goes into the language it was written in:
-- a source's title into the source's stated language; everything else into its operation's
-- working language. Every operation so far was run in English (notices required English,
-- the forms had one field), which the column's default records.
UPDATE "movements" m SET "labels" = jsonb_build_object(o."working_language", m."label")
  FROM "routes" r JOIN "operations" o ON o."id" = r."operation_id"
  WHERE r."id" = m."route_id";--> statement-breakpoint
UPDATE "movements" m SET "public_notes" = jsonb_build_object(o."working_language", m."public_note")
  FROM "routes" r JOIN "operations" o ON o."id" = r."operation_id"
  WHERE r."id" = m."route_id" AND trim(coalesce(m."public_note", '')) <> '';--> statement-breakpoint
UPDATE "routes" r SET "public_notes" = jsonb_build_object(o."working_language", r."public_note")
  FROM "operations" o
  WHERE o."id" = r."operation_id" AND trim(coalesce(r."public_note", '')) <> '';--> statement-breakpoint
UPDATE "sources" SET "titles" = jsonb_build_object("language", "title") WHERE "language" IN ('kk', 'ru', 'en');--> statement-breakpoint
UPDATE "sources" SET "outlets" = jsonb_build_object('en', "outlet");
