import { afterEach, describe, expect, it, vi } from "vitest";
import { describeError, log } from "./log";

function captured(write: () => void): Record<string, unknown> {
  const out = vi.spyOn(console, "log").mockImplementation(() => {});
  const err = vi.spyOn(console, "error").mockImplementation(() => {});
  write();
  const line = (out.mock.calls[0] ?? err.mock.calls[0])![0] as string;
  return JSON.parse(line) as Record<string, unknown>;
}

// The shape Prisma 7's driver adapter throws for a NUL byte in a text column.
function prismaNulError() {
  const error = new Error(
    '\nInvalid `db.apiToken.create()` invocation in\n/app/x.ts:10:21\n→ 10 insert … name: "secret value"\nDatabase error. Code: `22021`.',
  );
  error.name = "PrismaClientKnownRequestError";
  return Object.assign(error, {
    code: "P2039",
    clientVersion: "7.10.0",
    meta: {
      driverAdapterError: {
        name: "DriverAdapterError",
        cause: {
          originalCode: "22021",
          originalMessage: 'invalid byte sequence for encoding "UTF8": 0x00',
        },
      },
    },
  });
}

afterEach(() => vi.restoreAllMocks());

describe("the logger", () => {
  it("writes one JSON line with level, time and message", () => {
    const line = captured(() => log.info("workers started", { worker: "w1" }));
    expect(line).toMatchObject({ level: "info", msg: "workers started", worker: "w1" });
    expect(typeof line.time).toBe("string");
  });

  it("masks email addresses anywhere, including the event name of a decision", () => {
    const line = captured(() =>
      log.info("trace", {
        name: "approved by reviewer@example.com",
        nested: { who: ["admin@example.com"] },
      }),
    );
    expect(JSON.stringify(line)).not.toMatch(/@example\.com/);
    expect(line.name).toBe("approved by [email]");
  });

  it("drops fields named like secrets, and secret-looking values", () => {
    const line = captured(() =>
      log.warn("x", {
        password: "hunter2",
        authorization: "Bearer abc",
        input_tokens: 12,
        note: "token cs_pat_AAAA and postgres://u:pw@db:5432/x",
      }),
    );
    expect(line).toMatchObject({
      password: "[redacted]",
      authorization: "[redacted]",
      input_tokens: 12,
    });
    expect(String(line.note)).not.toMatch(/cs_pat_AAAA|u:pw/);
  });

  it("reduces a database error to its name and codes: no message, query, values or stack", () => {
    const line = captured(() => log.error("unhandled error", { error: prismaNulError() }));
    expect(line.error).toEqual({
      name: "PrismaClientKnownRequestError",
      code: "P2039",
      sqlstate: "22021",
    });
    expect(JSON.stringify(line)).not.toMatch(/secret value|invocation|\.ts:|stack/);
  });

  it("keeps the first line of an ordinary error's message, masked, without its stack", () => {
    expect(
      describeError(new TypeError("cannot read x of user@example.com\n    at foo (/app/a.ts:1:1)")),
    ).toEqual({
      name: "TypeError",
      message: "cannot read x of [email]",
    });
  });
});
