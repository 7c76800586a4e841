ALTER TABLE "metric_summaries" ADD COLUMN "final" double precision;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "pipeline" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "kept_epoch" bigint;--> statement-breakpoint
-- Runs made before this column get their pipeline's name back from the recorded config (else their display name).
UPDATE "runs" SET "pipeline" = coalesce(CASE WHEN "config_json" LIKE '{%' THEN ("config_json"::jsonb)->>'name' END, "name");
