CREATE INDEX "metric_summaries_key_max_idx" ON "metric_summaries" USING btree ("key","max","run_id");--> statement-breakpoint
CREATE INDEX "metric_summaries_key_min_idx" ON "metric_summaries" USING btree ("key","min","run_id");--> statement-breakpoint
-- Hand-written (expression index, statistics; drizzle-kit snapshots cannot hold them). The metric filter's value index
-- carries final and last, so PostgreSQL reads a filter's run ids from the index alone (an index-only scan needs every
-- column the expression reads); without them it fetched each matching summary row from the heap.
DROP INDEX "metric_summaries_key_value_idx";--> statement-breakpoint
CREATE INDEX "metric_summaries_key_value_idx" ON "metric_summaries" USING btree ("key", (coalesce("final", "last")), "run_id") INCLUDE ("final", "last");--> statement-breakpoint
-- A param's key and value are dependent (train.optimizer.name = 'adam' holds for a third of the runs): without
-- these, the planner multiplies their selectivities and misestimates a param filter's rows twentyfold.
CREATE STATISTICS IF NOT EXISTS "params_key_text_stats" (mcv) ON "key", "text_value" FROM "params";--> statement-breakpoint
CREATE STATISTICS IF NOT EXISTS "params_key_num_stats" (mcv) ON "key", "num_value" FROM "params";
--> statement-breakpoint
-- New statistics stay empty until the next ANALYZE: gather them now rather than at autovacuum's next visit.
ANALYZE "params";
