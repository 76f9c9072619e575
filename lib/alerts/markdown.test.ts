import { describe, expect, it } from "vitest";
import { inlineSpans, markdownBlocks } from "./markdown";

describe("runbook markdown", () => {
  it("reads headings, lists, paragraphs and code", () => {
    const blocks = markdownBlocks(
      "# Title\n\nSome text\non two lines.\n\n## Steps\n1. one\n2. two\n   continued\n- a\n\n```\nnpm run x\n```\n",
    );
    expect(blocks).toEqual([
      { type: "h1", text: "Title" },
      { type: "p", text: "Some text on two lines." },
      { type: "h2", text: "Steps" },
      { type: "ol", items: ["one", "two continued"] },
      { type: "ul", items: ["a"] },
      { type: "code", text: "npm run x" },
    ]);
    expect(inlineSpans("open `/ops/alerts` **now**")).toEqual([
      { code: false, text: "open " },
      { code: true, text: "/ops/alerts" },
      { code: false, text: " now" },
    ]);
  });
});
