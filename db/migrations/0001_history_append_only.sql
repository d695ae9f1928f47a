-- History is append-only: an undo is a new record, never an edit or a delete.
CREATE OR REPLACE FUNCTION corridor_refuse_history_rewrite() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'history is append-only: % on % refused', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'P0001';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER count_change_sets_append_only BEFORE UPDATE OR DELETE ON "count_change_sets"
  FOR EACH ROW EXECUTE FUNCTION corridor_refuse_history_rewrite();
--> statement-breakpoint
CREATE TRIGGER count_changes_append_only BEFORE UPDATE OR DELETE ON "count_changes"
  FOR EACH ROW EXECUTE FUNCTION corridor_refuse_history_rewrite();
