CREATE TABLE `model_aliases` (
	`name` text NOT NULL,
	`alias` text NOT NULL,
	`version` integer NOT NULL,
	`updated_by` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`name`, `alias`)
);
--> statement-breakpoint
CREATE TABLE `model_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`run_id` text NOT NULL,
	`description` text,
	`tags_json` text NOT NULL,
	`metrics_json` text NOT NULL,
	`monitor` text,
	`data_fingerprint` text,
	`config_hash` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `model_versions_name_version_idx` ON `model_versions` (`name`,`version`);--> statement-breakpoint
CREATE INDEX `model_versions_run_idx` ON `model_versions` (`run_id`);