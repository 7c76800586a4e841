ALTER TABLE `runs` ADD `fold_parent_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `fold` integer;--> statement-breakpoint
CREATE INDEX `runs_fold_parent_idx` ON `runs` (`fold_parent_id`,`fold`);