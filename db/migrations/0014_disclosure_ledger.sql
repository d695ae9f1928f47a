CREATE TABLE "disclosure_printed" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"operation_id" integer NOT NULL,
	"cell" text NOT NULL,
	"value" integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE "disclosure_releases" (
	"operation_id" integer NOT NULL,
	"point" text NOT NULL,
	"seq" integer NOT NULL,
	"release" text NOT NULL,
	"recorded_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "disclosure_releases_operation_id_point_pk" PRIMARY KEY("operation_id","point")
);
--> statement-breakpoint
ALTER TABLE "disclosure_printed" ADD CONSTRAINT "disclosure_printed_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "disclosure_releases" ADD CONSTRAINT "disclosure_releases_operation_id_operations_id_fk" FOREIGN KEY ("operation_id") REFERENCES "public"."operations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "disclosure_printed_value" ON "disclosure_printed" USING btree ("operation_id","cell","value");