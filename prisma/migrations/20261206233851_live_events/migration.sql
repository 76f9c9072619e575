-- CreateTable
CREATE TABLE "live_events" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "user_id" UUID,
    "conversation_id" UUID,
    "run_id" UUID,
    "approval_id" UUID,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT clock_timestamp(),

    CONSTRAINT "live_events_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "live_events_created_at_idx" ON "live_events"("created_at");

-- The engine that applies migrations splits this file at every semicolon, strings included, so the
-- function bodies below are E'' strings that write each semicolon as the escape \073.
-- The live stream's events, written by triggers in the transaction of the change they point at
-- (so no writer can forget one), each announced with a NOTIFY on channel countersign_live that
-- PostgreSQL delivers only on commit. The payload is a pointer: the event's id, kind and ids.
CREATE FUNCTION live_event(p_kind TEXT, p_user UUID, p_conversation UUID, p_run UUID, p_approval UUID) RETURNS VOID AS E'
DECLARE
  new_id BIGINT\073
BEGIN
  INSERT INTO live_events (kind, user_id, conversation_id, run_id, approval_id)
  VALUES (p_kind, p_user, p_conversation, p_run, p_approval) RETURNING id INTO new_id\073
  PERFORM pg_notify(''countersign_live'', json_build_object(
    ''id'', new_id, ''kind'', p_kind, ''userId'', p_user, ''conversationId'', p_conversation, ''runId'', p_run, ''approvalId'', p_approval
  )::text)\073
END' LANGUAGE plpgsql;

-- A message in a customer's thread (theirs, the answer, a staff reply).
CREATE FUNCTION live_event_message() RETURNS TRIGGER AS E'
BEGIN
  PERFORM live_event(''thread'', (SELECT c.user_id FROM conversations c WHERE c.id = NEW.conversation_id), NEW.conversation_id, NEW.run_id, NULL)\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_message AFTER INSERT ON messages FOR EACH ROW EXECUTE FUNCTION live_event_message();

-- A live run started or changed state (scratch runs, replay and shadow, are nobody's thread).
CREATE FUNCTION live_event_run() RETURNS TRIGGER AS E'
BEGIN
  IF NEW.mode = ''live'' AND (TG_OP = ''INSERT'' OR OLD.status IS DISTINCT FROM NEW.status) THEN
    PERFORM live_event(''run'', NEW.user_id, NEW.conversation_id, NEW.id, NULL)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_run AFTER INSERT OR UPDATE OF status ON runs FOR EACH ROW EXECUTE FUNCTION live_event_run();

-- An item parked, decided, expired, claimed or let go.
CREATE FUNCTION live_event_approval() RETURNS TRIGGER AS E'
BEGIN
  IF TG_OP = ''INSERT'' OR OLD.status IS DISTINCT FROM NEW.status OR OLD.claimed_by_id IS DISTINCT FROM NEW.claimed_by_id THEN
    PERFORM live_event(''approval'', NULL, NULL, NEW.run_id, NEW.id)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_approval AFTER INSERT OR UPDATE OF status, claimed_by_id ON approvals FOR EACH ROW EXECUTE FUNCTION live_event_approval();

-- A follow-up promised or answered.
CREATE FUNCTION live_event_follow_up() RETURNS TRIGGER AS E'
BEGIN
  IF TG_OP = ''INSERT'' OR OLD.status IS DISTINCT FROM NEW.status THEN
    PERFORM live_event(''follow-up'', NULL, NULL, NEW.run_id, NULL)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_follow_up AFTER INSERT OR UPDATE OF status ON follow_ups FOR EACH ROW EXECUTE FUNCTION live_event_follow_up();

-- A reviewer's in-app notification.
CREATE FUNCTION live_event_notification() RETURNS TRIGGER AS E'
BEGIN
  IF NEW.channel = ''in_app'' THEN
    PERFORM live_event(''notification'', NULL, NULL, NULL, NEW.approval_id)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_notification AFTER INSERT ON notifications FOR EACH ROW EXECUTE FUNCTION live_event_notification();

-- An account deactivated, its role changed or its sessions revoked: its open streams check it again
-- at once (never sent to a browser).
CREATE FUNCTION live_event_account() RETURNS TRIGGER AS E'
BEGIN
  IF OLD.active IS DISTINCT FROM NEW.active OR OLD.role IS DISTINCT FROM NEW.role OR OLD.session_version IS DISTINCT FROM NEW.session_version THEN
    PERFORM live_event(''account'', NEW.id, NULL, NULL, NULL)\073
  END IF\073
  RETURN NULL\073
END' LANGUAGE plpgsql;
CREATE TRIGGER live_event_account AFTER UPDATE OF active, role, session_version ON users FOR EACH ROW EXECUTE FUNCTION live_event_account();
