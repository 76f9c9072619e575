"use server";

import { z } from "zod";
import { reviewerAction } from "@/lib/auth/guards";
import { replayRun } from "./replay";

// Reviewers and admins, from a run's page: replay it hermetically, or re-run its request
// against another settings version. Both are scratch runs: nothing real is touched.
const replayInput = z.object({ runId: z.uuid({ message: "runId: not a run id" }) });
const rerunInput = replayInput.extend({
  version: z.coerce.number().int("version: a whole number").min(0, "version: 0 or more"),
});

const guardedReplay = reviewerAction(replayInput, (actor, { runId }) =>
  replayRun(runId, { requestedBy: actor.email }),
);
const guardedRerun = reviewerAction(rerunInput, (actor, { runId, version }) =>
  replayRun(runId, { version, requestedBy: actor.email }),
);

export async function replayRecordedRun(input: unknown) {
  return guardedReplay(input);
}

export async function rerunWithVersion(input: unknown) {
  return guardedRerun(input);
}
