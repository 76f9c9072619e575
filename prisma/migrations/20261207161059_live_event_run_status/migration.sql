-- AlterTable
ALTER TABLE "live_events" ADD COLUMN     "run_previous_status" "RunStatus",
ADD COLUMN     "run_status" "RunStatus";

-- A run event says the move it announces (its new status, and the one it left: null when the run
-- was just created), in its row and its NOTIFY. The stream of a customer then reads no thread for a
-- run that only started running (routing to running): the chat shows queued and running alike
-- (working on it), so that read, one of three per turn, changed nothing it shows. A resume after
-- a decision (awaiting_approval to running) does change it (waiting for our team, then working),
-- which is why the status left is written too.
-- Bodies are E strings with each semicolon written \073, as in migration live_events. The old
-- five-argument function goes first: beside one with defaults, a five-argument call is ambiguous.
DROP FUNCTION live_event(TEXT, UUID, UUID, UUID, UUID);

CREATE FUNCTION live_event(p_kind TEXT, p_user UUID, p_conversation UUID, p_run UUID, p_approval UUID, p_run_status "RunStatus" DEFAULT NULL, p_run_previous_status "RunStatus" DEFAULT NULL) RETURNS VOID AS E'
DECLARE
  new_id BIGINT\073
BEGIN
  INSERT INTO live_events (kind, user_id, conversation_id, run_id, approval_id, run_status, run_previous_status)
  VALUES (p_kind, p_user, p_conversation, p_run, p_approval, p_run_status, p_run_previous_status) RETURNING id INTO new_id\073
  PERFORM pg_notify(''countersign_live'', json_build_object(
    ''id'', new_id, ''kind'', p_kind, ''userId'', p_user, ''conversationId'', p_conversation, ''runId'', p_run, ''approvalId'', p_approval,
    ''runStatus'', p_run_status, ''runPreviousStatus'', p_run_previous_status
  )::text)\073
END' LANGUAGE plpgsql;

-- Called by the triggers live_event_run_created and live_event_run_status, whose WHEN conditions
-- pick the changes (the mode test is kept as it was). A created run left no status.
CREATE OR REPLACE FUNCTION live_event_run() RETURNS TRIGGER AS E'
BEGIN
  IF NEW.mode = ''live'' THEN
    PERFORM live_event(''run'', NEW.user_id, NEW.conversation_id, NEW.id, NULL, NEW.status,
      CASE WHEN TG_OP = ''UPDATE'' THEN OLD.status END)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
