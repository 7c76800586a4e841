-- Hand-written (an expression index; drizzle-kit snapshots cannot hold it). The metric filter's value index carries
-- final and last after run_id, so SQLite reads a filter's run ids from the index alone: it counts an index as
-- covering only when every column the query names is in it, and coalesce(final, last) names both.
DROP INDEX `metric_summaries_key_value_idx`;--> statement-breakpoint
CREATE INDEX `metric_summaries_key_value_idx` ON `metric_summaries` (`key`, coalesce(`final`, `last`), `run_id`, `final`, `last`);
