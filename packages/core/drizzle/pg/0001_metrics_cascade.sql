-- metrics has no per-row foreign key in PostgreSQL (see schema-pg.ts): deleting runs (directly or
-- by an experiment's cascade) deletes their metrics here, once per statement.
CREATE FUNCTION kiln_delete_run_metrics() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "metrics" WHERE "run_id" IN (SELECT "id" FROM deleted_runs);
  RETURN NULL;
END $$;
--> statement-breakpoint
CREATE TRIGGER "runs_delete_metrics" AFTER DELETE ON "runs" REFERENCING OLD TABLE AS deleted_runs FOR EACH STATEMENT EXECUTE FUNCTION kiln_delete_run_metrics();
