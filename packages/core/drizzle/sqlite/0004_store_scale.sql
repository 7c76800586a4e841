DROP INDEX `params_key_num_idx`;--> statement-breakpoint
DROP INDEX `params_key_text_idx`;--> statement-breakpoint
CREATE INDEX `params_key_num_run_idx` ON `params` (`key`,`num_value`,`run_id`);--> statement-breakpoint
CREATE INDEX `params_key_text_run_idx` ON `params` (`key`,`text_value`,`run_id`);--> statement-breakpoint
CREATE INDEX `runs_fold_parent_started_idx` ON `runs` (`fold_parent_id`,`started_at`);--> statement-breakpoint
-- Hand-written (expression indexes; drizzle-kit snapshots cannot hold them): a metric filter or sort on coalesce(final, last) reads this index alone.
CREATE INDEX `metric_summaries_key_value_idx` ON `metric_summaries` (`key`, coalesce(`final`, `last`), `run_id`);--> statement-breakpoint
-- The experiments listing's last activity per experiment: one index seek each.
CREATE INDEX `runs_experiment_activity_idx` ON `runs` (`experiment_id`, coalesce(`heartbeat_at`, `ended_at`, `started_at`));
