CREATE TABLE `artifacts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`run_id` text NOT NULL,
	`path` text NOT NULL,
	`kind` text NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `artifacts_run_idx` ON `artifacts` (`run_id`);--> statement-breakpoint
CREATE TABLE `experiments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `experiments_name_unique` ON `experiments` (`name`);--> statement-breakpoint
CREATE TABLE `metric_rollups` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`width` integer NOT NULL,
	`bucket` integer NOT NULL,
	`min` real NOT NULL,
	`min_step` integer NOT NULL,
	`max` real NOT NULL,
	`max_step` integer NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`, `width`, `bucket`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `metric_summaries` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`last` real,
	`last_step` integer NOT NULL,
	`min` real,
	`min_step` integer,
	`max` real,
	`max_step` integer,
	`best_step` integer,
	`count` integer NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metric_summaries_key_last_idx` ON `metric_summaries` (`key`,`last`);--> statement-breakpoint
CREATE TABLE `metrics` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`step` integer NOT NULL,
	`epoch` integer,
	`value` real,
	`wall_time` integer NOT NULL,
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `metrics_run_key_step_idx` ON `metrics` (`run_id`,`key`,`step`,`value`);--> statement-breakpoint
CREATE TABLE `params` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`type` text NOT NULL,
	`num_value` real,
	`text_value` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `params_key_num_idx` ON `params` (`key`,`num_value`);--> statement-breakpoint
CREATE INDEX `params_key_text_idx` ON `params` (`key`,`text_value`);--> statement-breakpoint
CREATE TABLE `runs` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`ended_at` integer,
	`duration_ms` integer,
	`config_json` text NOT NULL,
	`yaml` text NOT NULL,
	`config_hash` text NOT NULL,
	`data_fingerprint` text,
	`seed` integer,
	`git_commit` text,
	`git_dirty` integer,
	`host` text,
	`os` text,
	`node_version` text,
	`tfjs_version` text,
	`tfjs_backend` text,
	`kiln_version` text,
	`sweep_id` text,
	`trial_number` integer,
	`failure_reason` text,
	`heartbeat_at` integer,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `runs_experiment_started_idx` ON `runs` (`experiment_id`,`started_at`);--> statement-breakpoint
CREATE INDEX `runs_started_idx` ON `runs` (`started_at`);--> statement-breakpoint
CREATE INDEX `runs_status_heartbeat_idx` ON `runs` (`status`,`heartbeat_at`);--> statement-breakpoint
CREATE INDEX `runs_sweep_idx` ON `runs` (`sweep_id`,`trial_number`);--> statement-breakpoint
CREATE TABLE `sweeps` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`experiment_id` integer NOT NULL,
	`spec_json` text NOT NULL,
	`method` text NOT NULL,
	`metric` text NOT NULL,
	`goal` text NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`experiment_id`) REFERENCES `experiments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `tags` (
	`run_id` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`run_id`, `key`),
	FOREIGN KEY (`run_id`) REFERENCES `runs`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `tags_key_value_idx` ON `tags` (`key`,`value`);--> statement-breakpoint
CREATE TABLE `trials` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`sweep_id` text NOT NULL,
	`number` integer NOT NULL,
	`params_json` text NOT NULL,
	`state` text NOT NULL,
	`run_id` text,
	`worker_id` text,
	`heartbeat_at` integer,
	`value` real,
	FOREIGN KEY (`sweep_id`) REFERENCES `sweeps`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trials_sweep_number_idx` ON `trials` (`sweep_id`,`number`);--> statement-breakpoint
CREATE INDEX `trials_sweep_state_idx` ON `trials` (`sweep_id`,`state`);