CREATE TABLE "audit_events" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"actor_id" integer,
	"actor_label" text NOT NULL,
	"entity" text NOT NULL,
	"entity_id" integer NOT NULL,
	"action" text NOT NULL,
	"before" jsonb,
	"after" jsonb,
	"reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "count_change_sets" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"movement_id" integer NOT NULL,
	"actor_id" integer,
	"actor_label" text NOT NULL,
	"reason" text NOT NULL,
	"source_id" integer,
	"as_of" timestamp with time zone DEFAULT now() NOT NULL,
	"version_before" integer NOT NULL,
	"version_after" integer NOT NULL,
	"reverts_id" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "count_change_sets_reason" CHECK (length(trim("count_change_sets"."reason")) > 0)
);
--> statement-breakpoint
CREATE TABLE "count_changes" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"change_set_id" bigint NOT NULL,
	"stage" text NOT NULL,
	"field" text NOT NULL,
	"old_value" integer,
	"new_value" integer
);
--> statement-breakpoint
CREATE TABLE "digest_deliveries" (
	"id" serial PRIMARY KEY NOT NULL,
	"run_id" integer NOT NULL,
	"subscriber_id" integer,
	"email" text,
	"language" text NOT NULL,
	"audience" text NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"message_id" text,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "digest_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"day" date NOT NULL,
	"snapshot" jsonb NOT NULL,
	"claimed_by" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "legs" (
	"id" serial PRIMARY KEY NOT NULL,
	"route_id" integer NOT NULL,
	"position" integer NOT NULL,
	"from_place_id" integer NOT NULL,
	"to_place_id" integer NOT NULL,
	"mode" text NOT NULL,
	"crosses_border" boolean DEFAULT false NOT NULL,
	"crossing_status" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "legs_distinct_places" CHECK ("legs"."from_place_id" <> "legs"."to_place_id"),
	CONSTRAINT "legs_crossing_only_on_border" CHECK ("legs"."crosses_border" OR "legs"."crossing_status" IS NULL)
);
--> statement-breakpoint
CREATE TABLE "movements" (
	"id" serial PRIMARY KEY NOT NULL,
	"route_id" integer NOT NULL,
	"label" text NOT NULL,
	"kind" text NOT NULL,
	"scheduled_date" date,
	"scheduled_departure_at" timestamp with time zone,
	"meeting_point" text,
	"departed_at" timestamp with time zone,
	"arrived_at" timestamp with time zone,
	"status" text DEFAULT 'planned' NOT NULL,
	"delayed" boolean DEFAULT false NOT NULL,
	"capacity" integer,
	"current_leg_id" integer,
	"public_note" text,
	"staff_note" text,
	"source_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer,
	CONSTRAINT "movements_capacity_nonneg" CHECK ("movements"."capacity" IS NULL OR "movements"."capacity" >= 0),
	CONSTRAINT "movements_arrival_after_departure" CHECK ("movements"."arrived_at" IS NULL OR "movements"."departed_at" IS NULL OR "movements"."arrived_at" >= "movements"."departed_at"),
	CONSTRAINT "movements_version_pos" CHECK ("movements"."version" >= 1)
);
--> statement-breakpoint
CREATE TABLE "notices" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"bodies" jsonb NOT NULL,
	"pinned" boolean DEFAULT true NOT NULL,
	"published_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone,
	"created_by" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "operations" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"names" jsonb NOT NULL,
	"time_zone" text DEFAULT 'Asia/Almaty' NOT NULL,
	"is_public" boolean DEFAULT false NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"closed_at" timestamp with time zone,
	"publication_delay_minutes" integer DEFAULT 0 NOT NULL,
	"stale_after_hours" integer DEFAULT 12 NOT NULL,
	"small_count_threshold" integer DEFAULT 5 NOT NULL,
	"digest_time" text DEFAULT '20:00' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "operations_slug_unique" UNIQUE("slug"),
	CONSTRAINT "operations_delay_nonneg" CHECK ("operations"."publication_delay_minutes" >= 0),
	CONSTRAINT "operations_stale_pos" CHECK ("operations"."stale_after_hours" > 0),
	CONSTRAINT "operations_threshold_pos" CHECK ("operations"."small_count_threshold" >= 1),
	CONSTRAINT "operations_digest_time" CHECK ("operations"."digest_time" ~ '^([01][0-9]|2[0-3]):[0-5][0-9]$')
);
--> statement-breakpoint
CREATE TABLE "passenger_counts" (
	"movement_id" integer PRIMARY KEY NOT NULL,
	"registered_total" integer,
	"registered_women_children" integer,
	"registered_over60" integer,
	"registered_medical" integer,
	"registered_other" integer,
	"departed_total" integer,
	"departed_women_children" integer,
	"departed_over60" integer,
	"departed_medical" integer,
	"departed_other" integer,
	"arrived_total" integer,
	"arrived_women_children" integer,
	"arrived_over60" integer,
	"arrived_medical" integer,
	"arrived_other" integer,
	"source_id" integer,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_by" integer,
	CONSTRAINT "counts_registered_nonneg" CHECK ("passenger_counts"."registered_total" >= 0 AND "passenger_counts"."registered_women_children" >= 0 AND "passenger_counts"."registered_over60" >= 0 AND "passenger_counts"."registered_medical" >= 0 AND "passenger_counts"."registered_other" >= 0),
	CONSTRAINT "counts_registered_breakdown" CHECK (("passenger_counts"."registered_total" IS NULL AND "passenger_counts"."registered_women_children" IS NULL AND "passenger_counts"."registered_over60" IS NULL AND "passenger_counts"."registered_medical" IS NULL AND "passenger_counts"."registered_other" IS NULL)
          OR ("passenger_counts"."registered_total" IS NOT NULL AND COALESCE("passenger_counts"."registered_women_children", 0) + COALESCE("passenger_counts"."registered_over60", 0) + COALESCE("passenger_counts"."registered_medical", 0) + COALESCE("passenger_counts"."registered_other", 0) <= "passenger_counts"."registered_total")),
	CONSTRAINT "counts_departed_nonneg" CHECK ("passenger_counts"."departed_total" >= 0 AND "passenger_counts"."departed_women_children" >= 0 AND "passenger_counts"."departed_over60" >= 0 AND "passenger_counts"."departed_medical" >= 0 AND "passenger_counts"."departed_other" >= 0),
	CONSTRAINT "counts_departed_breakdown" CHECK (("passenger_counts"."departed_total" IS NULL AND "passenger_counts"."departed_women_children" IS NULL AND "passenger_counts"."departed_over60" IS NULL AND "passenger_counts"."departed_medical" IS NULL AND "passenger_counts"."departed_other" IS NULL)
          OR ("passenger_counts"."departed_total" IS NOT NULL AND COALESCE("passenger_counts"."departed_women_children", 0) + COALESCE("passenger_counts"."departed_over60", 0) + COALESCE("passenger_counts"."departed_medical", 0) + COALESCE("passenger_counts"."departed_other", 0) <= "passenger_counts"."departed_total")),
	CONSTRAINT "counts_arrived_nonneg" CHECK ("passenger_counts"."arrived_total" >= 0 AND "passenger_counts"."arrived_women_children" >= 0 AND "passenger_counts"."arrived_over60" >= 0 AND "passenger_counts"."arrived_medical" >= 0 AND "passenger_counts"."arrived_other" >= 0),
	CONSTRAINT "counts_arrived_breakdown" CHECK (("passenger_counts"."arrived_total" IS NULL AND "passenger_counts"."arrived_women_children" IS NULL AND "passenger_counts"."arrived_over60" IS NULL AND "passenger_counts"."arrived_medical" IS NULL AND "passenger_counts"."arrived_other" IS NULL)
          OR ("passenger_counts"."arrived_total" IS NOT NULL AND COALESCE("passenger_counts"."arrived_women_children", 0) + COALESCE("passenger_counts"."arrived_over60", 0) + COALESCE("passenger_counts"."arrived_medical", 0) + COALESCE("passenger_counts"."arrived_other", 0) <= "passenger_counts"."arrived_total")),
	CONSTRAINT "counts_arrived_le_departed" CHECK ("passenger_counts"."arrived_total" IS NULL OR ("passenger_counts"."departed_total" IS NOT NULL AND "passenger_counts"."arrived_total" <= "passenger_counts"."departed_total")),
	CONSTRAINT "counts_arrived_le_departed_by_group" CHECK (("passenger_counts"."arrived_women_children" IS NULL OR "passenger_counts"."departed_women_children" IS NULL OR "passenger_counts"."arrived_women_children" <= "passenger_counts"."departed_women_children")
          AND ("passenger_counts"."arrived_over60" IS NULL OR "passenger_counts"."departed_over60" IS NULL OR "passenger_counts"."arrived_over60" <= "passenger_counts"."departed_over60")
          AND ("passenger_counts"."arrived_medical" IS NULL OR "passenger_counts"."departed_medical" IS NULL OR "passenger_counts"."arrived_medical" <= "passenger_counts"."departed_medical")
          AND ("passenger_counts"."arrived_other" IS NULL OR "passenger_counts"."departed_other" IS NULL OR "passenger_counts"."arrived_other" <= "passenger_counts"."departed_other"))
);
--> statement-breakpoint
CREATE TABLE "places" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"names" jsonb NOT NULL,
	"country_code" text NOT NULL,
	"kind" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "places_slug_unique" UNIQUE("slug"),
	CONSTRAINT "places_country_code" CHECK ("places"."country_code" ~ '^[A-Z]{2}$')
);
--> statement-breakpoint
CREATE TABLE "rate_limits" (
	"key" text PRIMARY KEY NOT NULL,
	"hits" integer NOT NULL,
	"window_started_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "routes" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"slug" text NOT NULL,
	"names" jsonb NOT NULL,
	"position" integer DEFAULT 0 NOT NULL,
	"public_note" text,
	"staff_note" text,
	"source_id" integer,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "sessions" (
	"id_hash" text PRIMARY KEY NOT NULL,
	"user_id" integer NOT NULL,
	"csrf_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_seen_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone,
	"ip" text,
	"user_agent" text
);
--> statement-breakpoint
CREATE TABLE "sources" (
	"id" serial PRIMARY KEY NOT NULL,
	"slug" text NOT NULL,
	"title" text NOT NULL,
	"outlet" text NOT NULL,
	"published_on" date NOT NULL,
	"language" text NOT NULL,
	"url" text,
	"file" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sources_slug_unique" UNIQUE("slug")
);
--> statement-breakpoint
CREATE TABLE "subscriber_routes" (
	"subscriber_id" integer NOT NULL,
	"route_id" integer NOT NULL,
	CONSTRAINT "subscriber_routes_subscriber_id_route_id_pk" PRIMARY KEY("subscriber_id","route_id")
);
--> statement-breakpoint
CREATE TABLE "subscribers" (
	"id" serial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"email" text NOT NULL,
	"language" text NOT NULL,
	"audience" text DEFAULT 'public' NOT NULL,
	"all_routes" boolean DEFAULT true NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"confirm_token_hash" text,
	"confirm_expires_at" timestamp with time zone,
	"unsubscribe_token" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"confirmed_at" timestamp with time zone,
	"unsubscribed_at" timestamp with time zone,
	CONSTRAINT "subscribers_unsubscribe_token_unique" UNIQUE("unsubscribe_token")
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" serial PRIMARY KEY NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"role" text NOT NULL,
	"password_hash" text NOT NULL,
	"disabled_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_unique" UNIQUE("email")
);
--> statement-breakpoint
ALTER TABLE "audit_events" ADD CONSTRAINT "audit_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "count_change_sets" ADD CONSTRAINT "count_change_sets_movement_id_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "count_change_sets" ADD CONSTRAINT "count_change_sets_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "count_change_sets" ADD CONSTRAINT "count_change_sets_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "count_changes" ADD CONSTRAINT "count_changes_change_set_id_count_change_sets_id_fk" FOREIGN KEY ("change_set_id") REFERENCES "public"."count_change_sets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_run_id_digest_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."digest_runs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_deliveries" ADD CONSTRAINT "digest_deliveries_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "digest_runs" ADD CONSTRAINT "digest_runs_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legs" ADD CONSTRAINT "legs_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legs" ADD CONSTRAINT "legs_from_place_id_places_id_fk" FOREIGN KEY ("from_place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "legs" ADD CONSTRAINT "legs_to_place_id_places_id_fk" FOREIGN KEY ("to_place_id") REFERENCES "public"."places"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_current_leg_id_legs_id_fk" FOREIGN KEY ("current_leg_id") REFERENCES "public"."legs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "movements" ADD CONSTRAINT "movements_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "notices" ADD CONSTRAINT "notices_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passenger_counts" ADD CONSTRAINT "passenger_counts_movement_id_movements_id_fk" FOREIGN KEY ("movement_id") REFERENCES "public"."movements"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passenger_counts" ADD CONSTRAINT "passenger_counts_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "passenger_counts" ADD CONSTRAINT "passenger_counts_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routes" ADD CONSTRAINT "routes_source_id_sources_id_fk" FOREIGN KEY ("source_id") REFERENCES "public"."sources"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sessions" ADD CONSTRAINT "sessions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_routes" ADD CONSTRAINT "subscriber_routes_subscriber_id_subscribers_id_fk" FOREIGN KEY ("subscriber_id") REFERENCES "public"."subscribers"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscriber_routes" ADD CONSTRAINT "subscriber_routes_route_id_routes_id_fk" FOREIGN KEY ("route_id") REFERENCES "public"."routes"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "subscribers" ADD CONSTRAINT "subscribers_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "audit_events_entity" ON "audit_events" USING btree ("entity","entity_id","id");--> statement-breakpoint
CREATE INDEX "audit_events_actor" ON "audit_events" USING btree ("actor_id","id");--> statement-breakpoint
CREATE INDEX "count_change_sets_movement" ON "count_change_sets" USING btree ("movement_id","id");--> statement-breakpoint
CREATE INDEX "count_change_sets_actor" ON "count_change_sets" USING btree ("actor_id","id");--> statement-breakpoint
CREATE INDEX "count_changes_set" ON "count_changes" USING btree ("change_set_id");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_deliveries_run_subscriber" ON "digest_deliveries" USING btree ("run_id","subscriber_id");--> statement-breakpoint
CREATE INDEX "digest_deliveries_due" ON "digest_deliveries" USING btree ("status","next_attempt_at");--> statement-breakpoint
CREATE UNIQUE INDEX "digest_runs_operation_day" ON "digest_runs" USING btree ("operation_id","day");--> statement-breakpoint
CREATE UNIQUE INDEX "legs_route_position" ON "legs" USING btree ("route_id","position");--> statement-breakpoint
CREATE UNIQUE INDEX "movements_route_label" ON "movements" USING btree ("route_id","label");--> statement-breakpoint
CREATE UNIQUE INDEX "routes_operation_slug" ON "routes" USING btree ("operation_id","slug");--> statement-breakpoint
CREATE INDEX "sessions_user" ON "sessions" USING btree ("user_id");--> statement-breakpoint
CREATE UNIQUE INDEX "subscribers_operation_email" ON "subscribers" USING btree ("operation_id","email");