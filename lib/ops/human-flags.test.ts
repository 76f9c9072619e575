import { describe, expect, it } from "vitest";
import {
  isRubberStamping,
  lightPolicyCandidates,
  type ReviewerFigures,
  type ToolDecisionFigures,
} from "./human-flags";

const reviewer = (over: Partial<ReviewerFigures>): ReviewerFigures => ({
  reviewerId: "r",
  email: "r@example.com",
  decisions: 40,
  approved: 39,
  edited: 0,
  rejected: 1,
  timedDecisions: 40,
  medianReviewSeconds: 3,
  ...over,
});

describe("rubber-stamp flag", () => {
  it("flags a fast reviewer who approves nearly everything", () =>
    expect(isRubberStamping(reviewer({}))).toBe(true));
  it("not with too small a sample", () =>
    expect(isRubberStamping(reviewer({ timedDecisions: 19 }))).toBe(false));
  it("not when the median review takes 10 s or more", () =>
    expect(isRubberStamping(reviewer({ medianReviewSeconds: 10 }))).toBe(false));
  it("not when they reject often enough", () =>
    expect(isRubberStamping(reviewer({ approved: 30, rejected: 10 }))).toBe(false));
  it("not without any timed review", () =>
    expect(isRubberStamping(reviewer({ medianReviewSeconds: null }))).toBe(false));
});

const tool = (over: Partial<ToolDecisionFigures>): ToolDecisionFigures => ({
  agent: "refunds",
  tool: "add_order_note",
  irreversible: false,
  decisions: 50,
  approvedUnchanged: 50,
  edited: 0,
  rejected: 0,
  medianReviewSeconds: 20,
  ...over,
});

describe("light-policy candidates", () => {
  it("lists a tool approved unchanged nearly always, reversible ones first", () => {
    const list = lightPolicyCandidates([
      tool({ tool: "issue_refund", irreversible: true }),
      tool({}),
    ]);
    expect(list.map((t) => t.tool)).toEqual(["add_order_note", "issue_refund"]);
    expect(list[1]!.suggestion).toMatch(/stays gated/);
    expect(list[0]!.suggestion).not.toMatch(/stays gated/);
  });
  it("not when edits or rejections are common, nor on a small sample", () => {
    expect(lightPolicyCandidates([tool({ approvedUnchanged: 45, edited: 5 })])).toEqual([]);
    expect(lightPolicyCandidates([tool({ decisions: 29, approvedUnchanged: 29 })])).toEqual([]);
  });
});
