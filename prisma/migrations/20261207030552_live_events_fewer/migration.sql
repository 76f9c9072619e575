-- The live stream's run events, only for changes a reader tells apart. The trigger of migration
-- live_events fired on every step: a step's write names runs.status (it completes the run when the
-- step ends it), so each step queued the trigger and ran its function only to find the status
-- unchanged. And the claim's move from queued to routing announced a change that no reader shows
-- apart (the thread says "working" for queued, routing and running alike, and the runs pages
-- refresh again when the run starts running), at the price of a NOTIFY, whose commits PostgreSQL
-- serialises. The WHEN conditions below are checked as the row changes, before anything is queued.
DROP TRIGGER live_event_run ON runs;

-- A live run created: its thread shows it working.
CREATE TRIGGER live_event_run_created AFTER INSERT ON runs FOR EACH ROW
  WHEN (NEW.mode = 'live')
  EXECUTE FUNCTION live_event_run();

-- A live run's status changed to one a reader shows: running, waiting for a human, or an ending.
CREATE TRIGGER live_event_run_status AFTER UPDATE OF status ON runs FOR EACH ROW
  WHEN (NEW.mode = 'live' AND OLD.status IS DISTINCT FROM NEW.status AND NEW.status <> 'routing')
  EXECUTE FUNCTION live_event_run();
