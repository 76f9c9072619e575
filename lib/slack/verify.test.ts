import { describe, expect, it } from "vitest";
import { checkSlackSignature, signSlackRequest } from "./verify";

const secret = "8f742231b10e8888abcd99yyyzzz85a5";
const body = "payload=%7B%22type%22%3A%22block_actions%22%7D";

describe("Slack request signing", () => {
  it("accepts Slack's signature within five minutes, and nothing else", () => {
    const now = 1_800_000_000_000;
    const signed = signSlackRequest(secret, body, now / 1000);
    expect(checkSlackSignature({ secret, body, now, ...signed })).toBe("ok");
    expect(checkSlackSignature({ secret, body: `${body}x`, now, ...signed })).toBe("bad");
    expect(checkSlackSignature({ secret: `${secret}x`, body, now, ...signed })).toBe("bad");
    expect(checkSlackSignature({ secret, body, now: now + 301_000, ...signed })).toBe("old");
    expect(
      checkSlackSignature({ secret, body, now, timestamp: signed.timestamp, signature: null }),
    ).toBe("bad");
    expect(
      checkSlackSignature({ secret, body, now, timestamp: "abc", signature: signed.signature }),
    ).toBe("bad");
  });
});
