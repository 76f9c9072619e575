// What a customer must never read: the customer's own words cut off, an internal tool name, a raw
// error, an HTTP code or raw data (ISO dates, keys, identifiers, JSON). Pure, so a test can read
// every message the product writes, and the product can check a plug-in's own sentences before it
// shows them (lib/customer-text/describe.ts).

export type CustomerTextContext = {
  /** Names that are internal to the product: every agent's tools and the runtime's. */
  toolNames?: readonly string[];
  /** Texts the product may quote whole (the customer's request, a reviewer's reason): a quote cut short is a fault. */
  quoted?: readonly string[];
};

/** A quoted text counts as cut off once this much of its start appears without the rest. */
const MIN_CUT_PREFIX = 16;

const RAW: Array<[RegExp, string]> = [
  [/\bHTTP\b/i, "an HTTP status"],
  [/\b(?:status|code|error)\s*:?\s*[1-5]\d\d\b/i, "an HTTP status code"],
  [
    /\b[45]\d\d\s+(?:Internal|Not Found|Bad|Unprocessable|Too Many|Service|Gateway|Conflict|Forbidden|Unauthorized)/i,
    "an HTTP status line",
  ],
  [/\b(?:Error|TypeError|ZodError|ToolError|ModelError)\s*:/, "a raw error"],
  [
    /\b(?:Invalid request|Invalid input|Network error|Rate limited|Refused \(|Conflict \(|Not found \()/i,
    "a raw error",
  ],
  [/\bE(?:CONNREFUSED|CONNRESET|TIMEDOUT|NOTFOUND)\b/, "a raw network error"],
  [/\b(?:undefined|NaN)\b|\[object Object\]|\bnull\b/, "a raw value"],
  [/\bcents\b/i, "an internal unit (cents)"],
  [/\bidempotency\b/i, "an internal key"],
  [/\bcs_[0-9a-f-]{8,}/i, "an idempotency key"],
  [/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/i, "a raw identifier"],
  [/\b\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2})?/, "a raw ISO date"],
  [/[{}]/, "raw JSON"],
  [/\b(?:model_error|internal_error|tool_use|tool_result|stop_reason)\b/, "an internal code"],
];

/** Every problem found in one customer-visible text; empty when it reads clean. */
export function customerTextProblems(text: string, context: CustomerTextContext = {}): string[] {
  const problems: string[] = [];
  const say = (what: string, match?: string) => problems.push(match ? `${what}: “${match}”` : what);

  // Cut-off words: a quote of the customer's (or a reviewer's) words that stops before their end.
  for (const source of context.quoted ?? []) {
    const whole = source.trim();
    if (whole.length <= MIN_CUT_PREFIX || text.includes(whole)) continue;
    for (let k = whole.length - 1; k >= MIN_CUT_PREFIX; k--) {
      const prefix = whole.slice(0, k);
      const at = text.indexOf(prefix);
      if (at >= 0) {
        say("cut-off quote", `${prefix}${text.slice(at + k, at + k + 2)}`);
        break;
      }
    }
  }
  for (const m of text.matchAll(/\S{0,12}\s\)/g)) say("cut-off text before a bracket", m[0]);
  for (const m of text.matchAll(/\w+(?:…|\.\.\.(?!\.))/g)) say("text cut with an ellipsis", m[0]);
  if (count(text, "(") !== count(text, ")")) say("unbalanced brackets (text cut off?)");
  if (count(text, "“") !== count(text, "”")) say("unbalanced quotes (text cut off?)");

  // Internal names: a tool's name as written (issue_refund) or spelt out (issue refund), or any snake_case code.
  for (const name of context.toolNames ?? []) {
    const pattern = new RegExp(`\\b${escape(name).replace(/_/g, "[ _]")}\\b`, "i");
    const m = pattern.exec(text);
    if (m) say("an internal tool name", m[0]);
  }
  for (const m of text.matchAll(/\b[a-z]+(?:_[a-z]+)+\b/g))
    say("an internal snake_case name", m[0]);

  for (const [pattern, what] of RAW) {
    const m = pattern.exec(text);
    if (m) say(what, m[0]);
  }
  if (!text.trim()) say("an empty message");
  return [...new Set(problems)];
}

const count = (text: string, char: string) => text.split(char).length - 1;
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
