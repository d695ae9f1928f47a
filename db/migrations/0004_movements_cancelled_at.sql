-- The digest reports cancellations on the day they happen: stamp cancelled_at whenever a
-- movement's status becomes cancelled (unless the writer set it), clear it when it leaves.
CREATE OR REPLACE FUNCTION corridor_stamp_cancelled_at() RETURNS trigger AS $$
BEGIN
  IF NEW.status = 'cancelled' THEN
    IF TG_OP = 'INSERT' THEN
      NEW.cancelled_at := COALESCE(NEW.cancelled_at, now());
    ELSIF OLD.status <> 'cancelled' AND NEW.cancelled_at IS NOT DISTINCT FROM OLD.cancelled_at THEN
      NEW.cancelled_at := now();
    END IF;
  ELSE
    NEW.cancelled_at := NULL;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER movements_stamp_cancelled_at BEFORE INSERT OR UPDATE OF status, cancelled_at ON "movements"
  FOR EACH ROW EXECUTE FUNCTION corridor_stamp_cancelled_at();
