CREATE TABLE "public_contacts" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"kind" text NOT NULL,
	"country_code" text,
	"names" jsonb NOT NULL,
	"phone" text,
	"email" text,
	"url" text,
	"address" jsonb,
	"hours" jsonb,
	"checked_on" date NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"withdrawn_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "public_contacts_country" CHECK ("public_contacts"."country_code" IS NULL OR "public_contacts"."country_code" ~ '^[A-Z]{2}$'),
	CONSTRAINT "public_contacts_reachable" CHECK (num_nonnulls("public_contacts"."phone", "public_contacts"."email", "public_contacts"."url") > 0),
	CONSTRAINT "public_contacts_url" CHECK ("public_contacts"."url" IS NULL OR "public_contacts"."url" ~ '^https?://'),
	CONSTRAINT "public_contacts_mission_country" CHECK ("public_contacts"."kind" NOT IN ('embassy', 'consulate') OR "public_contacts"."country_code" IS NOT NULL)
);
--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "authority" jsonb;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "authority_url" text;--> statement-breakpoint
ALTER TABLE "operations" ADD COLUMN "public_lead" jsonb;--> statement-breakpoint
ALTER TABLE "places" ADD COLUMN "latitude" double precision;--> statement-breakpoint
ALTER TABLE "places" ADD COLUMN "longitude" double precision;--> statement-breakpoint
ALTER TABLE "public_contacts" ADD CONSTRAINT "public_contacts_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "public_contacts" ADD CONSTRAINT "public_contacts_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "public_contacts_operation" ON "public_contacts" USING btree ("operation_id","position","id");--> statement-breakpoint
ALTER TABLE "operations" ADD CONSTRAINT "operations_authority_url" CHECK ("operations"."authority_url" IS NULL OR "operations"."authority_url" ~ '^https?://');--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_coordinates_pair" CHECK (("places"."latitude" IS NULL) = ("places"."longitude" IS NULL));--> statement-breakpoint
ALTER TABLE "places" ADD CONSTRAINT "places_coordinates_range" CHECK ("places"."latitude" IS NULL OR ("places"."latitude" BETWEEN -90 AND 90 AND "places"."longitude" BETWEEN -180 AND 180));--> statement-breakpoint
-- backfill (hand-written)
-- A database seeded before this migration: the reports' places get their coordinates
-- (db/seed/map.ts) and the seeded operation its publisher (db/seed/publisher.ts), unless
-- an admin already set them. A fresh database gets them from the seed instead.
UPDATE "places" AS p SET "latitude" = v.lat, "longitude" = v.lon
  FROM (VALUES ('dubai', 25.2, 55.27), ('riyadh', 24.71, 46.68), ('jeddah', 21.49, 39.19),
    ('almaty', 43.24, 76.89), ('astana', 51.17, 71.45), ('oman', 20.59, 56.06), ('qatar', 25.3, 51.18),
    ('iran', 32.53, 54.44), ('armenia', 40.29, 44.94), ('azerbaijan', 40.29, 47.55),
    ('turkmenistan', 39.13, 59.45), ('kazakhstan', 48.36, 67.25)) AS v(slug, lat, lon)
  WHERE p."slug" = v.slug AND p."latitude" IS NULL;
--> statement-breakpoint
UPDATE "operations" SET "authority" = '{"en":"Ministry of Foreign Affairs of the Republic of Kazakhstan, Consular Service","ru":"Министерство иностранных дел Республики Казахстан, консульская служба","kk":"Қазақстан Республикасы Сыртқы істер министрлігі, консулдық қызмет"}'::jsonb
  WHERE "slug" = 'middle-east-2026' AND "authority" IS NULL;
