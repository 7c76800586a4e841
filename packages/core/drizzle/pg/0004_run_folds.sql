ALTER TABLE "runs" ADD COLUMN "fold_parent_id" text;--> statement-breakpoint
ALTER TABLE "runs" ADD COLUMN "fold" bigint;--> statement-breakpoint
CREATE INDEX "runs_fold_parent_idx" ON "runs" USING btree ("fold_parent_id","fold");