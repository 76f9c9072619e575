-- AlterTable
ALTER TABLE "live_events" ADD COLUMN     "approval_moved" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "approval_team_left" TEXT;

-- An item moved to another queue (an escalation that hands it to another team) is announced too,
-- saying the queue it left: the stream sends it to the reviewers of the queue it is in now (read
-- when the event is delivered, lib/live/item-queues.ts) and to those of the queue it left, whose
-- inbox still lists it. Before, a move fired no event, and both inboxes waited for the poll.
-- The team left is null when the item was in everyone's queue, hence the flag beside it.
-- Bodies are E strings with each semicolon written \073, as in migration live_events. The old
-- seven-argument function goes first: beside one with more defaults, a call is ambiguous.
DROP FUNCTION live_event(TEXT, UUID, UUID, UUID, UUID, "RunStatus", "RunStatus");

CREATE FUNCTION live_event(p_kind TEXT, p_user UUID, p_conversation UUID, p_run UUID, p_approval UUID, p_run_status "RunStatus" DEFAULT NULL, p_run_previous_status "RunStatus" DEFAULT NULL, p_approval_moved BOOLEAN DEFAULT false, p_approval_team_left TEXT DEFAULT NULL) RETURNS VOID AS E'
DECLARE
  new_id BIGINT\073
BEGIN
  INSERT INTO live_events (kind, user_id, conversation_id, run_id, approval_id, run_status, run_previous_status, approval_moved, approval_team_left)
  VALUES (p_kind, p_user, p_conversation, p_run, p_approval, p_run_status, p_run_previous_status, p_approval_moved, p_approval_team_left) RETURNING id INTO new_id\073
  PERFORM pg_notify(''countersign_live'', json_build_object(
    ''id'', new_id, ''kind'', p_kind, ''userId'', p_user, ''conversationId'', p_conversation, ''runId'', p_run, ''approvalId'', p_approval,
    ''runStatus'', p_run_status, ''runPreviousStatus'', p_run_previous_status,
    ''approvalMoved'', p_approval_moved, ''approvalTeamLeft'', p_approval_team_left
  )::text)\073
END' LANGUAGE plpgsql;

-- An item parked, decided, expired, claimed, let go, or moved to another queue.
CREATE OR REPLACE FUNCTION live_event_approval() RETURNS TRIGGER AS E'
DECLARE
  moved BOOLEAN := TG_OP = ''UPDATE'' AND OLD.team IS DISTINCT FROM NEW.team\073
BEGIN
  IF TG_OP = ''INSERT'' OR moved OR OLD.status IS DISTINCT FROM NEW.status OR OLD.claimed_by_id IS DISTINCT FROM NEW.claimed_by_id THEN
    PERFORM live_event(''approval'', NULL, NULL, NEW.run_id, NEW.id, NULL, NULL, moved,
      CASE WHEN moved THEN OLD.team END)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;

DROP TRIGGER live_event_approval ON approvals;
CREATE TRIGGER live_event_approval AFTER INSERT OR UPDATE OF status, claimed_by_id, team ON approvals FOR EACH ROW EXECUTE FUNCTION live_event_approval();
