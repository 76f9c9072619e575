// Tools the runtime gives every agent, by name, so scripts and prompts can refer to them.
/** Hands the request to a person; queues a follow-up that a reviewer answers in the user's chat. */
export const HANDOFF_TOOL = "hand_off_to_team";
/** Reads back a large earlier result that the prompt shows only as a preview. */
export const RECALL_TOOL = "recall_result";
