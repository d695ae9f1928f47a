ALTER TABLE "passenger_counts" ADD COLUMN "figures_as_of" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "passenger_counts" ADD COLUMN "figures_as_of_time_known" boolean DEFAULT true NOT NULL;--> statement-breakpoint
ALTER TABLE "passenger_counts" ADD COLUMN "registered_as_of" timestamp with time zone;--> statement-breakpoint
-- Backfill from the history: per movement, the latest as-of among change sets that changed a
-- figure (ties: the later recorded), and among those that changed a registered figure.
UPDATE "passenger_counts" pc SET
  "figures_as_of" = h."as_of",
  "figures_as_of_time_known" = h."as_of_time_known",
  "registered_as_of" = h."registered_as_of"
FROM (
  SELECT s."movement_id",
    max(s."as_of") AS "as_of",
    (array_agg(s."as_of_time_known" ORDER BY s."as_of" DESC, s."id" DESC))[1] AS "as_of_time_known",
    max(s."as_of") FILTER (WHERE c."stage" = 'registered') AS "registered_as_of"
  FROM "count_change_sets" s
  JOIN "count_changes" c ON c."change_set_id" = s."id"
  GROUP BY s."movement_id"
) h
WHERE pc."movement_id" = h."movement_id";
