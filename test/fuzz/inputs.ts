// Generated inputs for the fuzz suite: the strings that broke the app before (NUL, lone
// surrogates, control characters, huge), wrong types, unknown and real ids, malformed JSON.
import { randomUUID } from "node:crypto";
import fc from "fast-check";

export const NASTY_STRINGS = [
  "",
  " ",
  "\u0000",
  "refund\u0000please",
  "\uD800",
  "a\uDFFFb",
  "\uDE00\uD83D",
  "%zz",
  "%E0%A4%A",
  "../../etc/passwd",
  "' or 1=1 --",
  "<script>alert(1)</script>",
  "\u202Eevil",
  "😀".repeat(10),
  "\x1b[31mred",
  "constructor",
  "__proto__",
  "1e400",
  "-1",
  "1099511627776",
  "x".repeat(2_001),
  "y".repeat(70_000),
];

const controlChars = fc.string({
  unit: fc.integer({ min: 0, max: 0x1f }).map((c) => String.fromCharCode(c)),
  maxLength: 20,
});
const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  maxLength: 5,
});

export const nastyString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(...NASTY_STRINGS),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc
    .tuple(
      fc.string({ maxLength: 10 }),
      fc.oneof(controlChars, loneSurrogates),
      fc.string({ maxLength: 10 }),
    )
    .map((parts) => parts.join("")),
);

export type IdPool = {
  approvals: string[];
  followUps: string[];
  users: string[];
  tokenIds: string[];
  bearers: string[];
};

export function idArbitrary(pool: IdPool): fc.Arbitrary<string> {
  return fc.oneof(
    fc.constantFrom(...pool.approvals, ...pool.followUps, ...pool.users, ...pool.tokenIds),
    fc.constant(randomUUID()),
    fc.uuid(),
    nastyString,
  );
}

// Field names the doors read today, so generated objects get past "which field?" into the code
// behind it; unknown names are generated too.
const FIELD_NAMES = [
  "decision",
  "reason",
  "arguments",
  "text",
  "approvalId",
  "followUpId",
  "tokenId",
  "name",
  "userId",
  "active",
  "agent",
  "settings",
  "basedOnVersion",
  "operation",
  "mode",
  "remaining",
  "ids",
  "all",
  "items",
  "expectedHash",
  "status",
  "cursor",
];
const QUERY_NAMES = [
  "status",
  "agent",
  "tool",
  "reason",
  "sort",
  "cursor",
  "limit",
  "before",
  "after",
];

export function valueArbitrary(pool: IdPool): fc.Arbitrary<unknown> {
  const leaf = fc.oneof(
    nastyString,
    idArbitrary(pool),
    fc.constantFrom(
      "approve",
      "reject",
      "edit",
      "open",
      "answered",
      "refunds",
      "support",
      "accounts",
      "issue_refund",
      "pending",
      "oldest",
    ),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -1, 2 ** 31, 2 ** 53, Number.MAX_VALUE, Number.NaN, Infinity),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
  );
  return fc.anything({
    key: fc.oneof(fc.constantFrom(...FIELD_NAMES), nastyString),
    values: [leaf],
    maxDepth: 3,
    maxKeys: 6,
  });
}

export function shapedObject(pool: IdPool): fc.Arbitrary<Record<string, unknown>> {
  const value = valueArbitrary(pool);
  return fc.dictionary(fc.oneof(fc.constantFrom(...FIELD_NAMES), nastyString), value, {
    maxKeys: 6,
  });
}

export function actionInput(pool: IdPool): fc.Arbitrary<unknown> {
  return fc.oneof(
    { weight: 3, arbitrary: shapedObject(pool) },
    { weight: 1, arbitrary: valueArbitrary(pool) },
  );
}

export const MALFORMED_JSON = [
  "{",
  "nul",
  "[1,2",
  '{"a":}',
  '"\\ud800"',
  "\u0000",
  '{"text":"\\u0000"}',
  '{"reason":"\\udc00"}',
  "1e99999",
  "[]",
  "null",
  '"str"',
];

export type GeneratedRequest = {
  query: Array<[string, string]>;
  params: Record<string, string>;
  origin: string | undefined;
  secFetchSite: string | undefined;
  contentType: string | undefined;
  authorization: string | undefined;
  body: string | undefined;
};

export function requestArbitrary(
  pool: IdPool,
  paramNames: string[],
  appOrigin: string,
): fc.Arbitrary<GeneratedRequest> {
  const jsonBody = shapedObject(pool).map((o) => JSON.stringify(o) ?? "{}");
  return fc.record({
    query: fc.array(
      fc.tuple(
        fc.oneof(fc.constantFrom(...QUERY_NAMES), nastyString),
        fc.oneof(
          nastyString,
          fc.constantFrom("pending", "decided", "expiring", "open", "50", "0", "101"),
        ),
      ),
      { maxLength: 4 },
    ),
    params: fc.record(
      Object.fromEntries(paramNames.map((p) => [p, idArbitrary(pool)])),
    ) as fc.Arbitrary<Record<string, string>>,
    origin: fc.constantFrom(undefined, appOrigin, appOrigin, "https://evil.example", "null"),
    secFetchSite: fc.constantFrom(undefined, "same-origin", "cross-site", "same-site", "none"),
    contentType: fc.constantFrom(
      undefined,
      "application/json",
      "application/json",
      "application/x-www-form-urlencoded",
      "text/plain",
      "multipart/form-data; boundary=x",
    ),
    authorization: fc.constantFrom(
      undefined,
      undefined,
      "Basic abc",
      "Bearer cs_pat_short",
      `Bearer cs_pat_${"A".repeat(43)}`,
      ...pool.bearers.map((t) => `Bearer ${t}`),
    ),
    body: fc.oneof(
      fc.constant(undefined),
      jsonBody,
      jsonBody,
      fc.constantFrom(...MALFORMED_JSON),
      nastyString,
    ),
  });
}

/** A path segment as a client would send it (encodeURIComponent throws on a lone surrogate). */
export function encodeSegment(value: string): string {
  try {
    return encodeURIComponent(value);
  } catch {
    return "%ED%A0%80";
  }
}
