// The rules that judge the humans in the loop, pure and spelled out, so the page can say them
// and the tests can pin them.

/** A reviewer is flagged as rubber-stamping when, over at least this many decisions with a timed review… */
export const RUBBER_STAMP_MIN_DECISIONS = 20;
/** …their median time on the packet (first open → decision) is under this… */
export const RUBBER_STAMP_MAX_MEDIAN_SECONDS = 10;
/** …and they approve at least this share (approved as proposed or edited). */
export const RUBBER_STAMP_MIN_APPROVAL_RATE = 0.95;

/** A tool is a candidate for a lighter policy when at least this many human decisions… */
export const LIGHT_POLICY_MIN_DECISIONS = 30;
/** …approved its calls unchanged at least this often. */
export const LIGHT_POLICY_MIN_UNCHANGED_RATE = 0.97;

export type ReviewerFigures = {
  reviewerId: string;
  email: string;
  decisions: number;
  approved: number;
  edited: number;
  rejected: number;
  /** Decisions whose packet open was recorded (the sample of the median). */
  timedDecisions: number;
  medianReviewSeconds: number | null;
};

export type ToolDecisionFigures = {
  agent: string;
  tool: string;
  irreversible: boolean;
  decisions: number;
  approvedUnchanged: number;
  edited: number;
  rejected: number;
  medianReviewSeconds: number | null;
};

export const approvalRate = (f: { decisions: number; approved: number; edited: number }) =>
  f.decisions ? (f.approved + f.edited) / f.decisions : null;

export function isRubberStamping(f: ReviewerFigures): boolean {
  const rate = approvalRate(f);
  return (
    f.timedDecisions >= RUBBER_STAMP_MIN_DECISIONS &&
    f.medianReviewSeconds !== null &&
    f.medianReviewSeconds < RUBBER_STAMP_MAX_MEDIAN_SECONDS &&
    rate !== null &&
    rate >= RUBBER_STAMP_MIN_APPROVAL_RATE
  );
}

export type LightPolicyCandidate = ToolDecisionFigures & {
  unchangedRate: number;
  suggestion: string;
};

/**
 * Tools approved unchanged nearly always. A suggestion for an admin to consider, never applied:
 * an irreversible tool is listed too, but stays gated whatever its record (no setting lets it
 * run without approval).
 */
export function lightPolicyCandidates(tools: ToolDecisionFigures[]): LightPolicyCandidate[] {
  return tools
    .filter(
      (t) =>
        t.decisions >= LIGHT_POLICY_MIN_DECISIONS &&
        t.approvedUnchanged / t.decisions >= LIGHT_POLICY_MIN_UNCHANGED_RATE,
    )
    .map((t) => ({
      ...t,
      unchangedRate: t.approvedUnchanged / t.decisions,
      suggestion: t.irreversible
        ? "Irreversible: stays gated. Consider a faster queue or bulk review for it instead."
        : "Consider a lighter policy (auto) in the agent's settings, or a higher confidence threshold.",
    }))
    .sort(
      (a, b) =>
        Number(a.irreversible) - Number(b.irreversible) || b.unchangedRate - a.unchangedRate,
    );
}
