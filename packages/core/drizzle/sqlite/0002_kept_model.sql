ALTER TABLE `metric_summaries` ADD `final` real;--> statement-breakpoint
ALTER TABLE `runs` ADD `pipeline` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `kept_epoch` integer;--> statement-breakpoint
-- Runs made before this column get their pipeline's name back from the recorded config (else their display name).
UPDATE `runs` SET `pipeline` = coalesce(CASE WHEN json_valid(`config_json`) AND json_type(`config_json`, '$.name') = 'text' THEN json_extract(`config_json`, '$.name') END, `name`);
