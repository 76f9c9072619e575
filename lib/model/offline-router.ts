// How the offline demo model classifies a message: every intent is scored, so an agent added at the
// end of the registry is not shadowed by an earlier agent's generic words. A word the message shares
// with an intent's description and examples counts by how few intents use it (a word only one
// intent knows, "subscription", outweighs one several know, "order"), and a match of the intent's
// offline pattern counts as much as one and a half such words. An intent whose pattern does not
// match needs two words only it uses, so one stray word ("status") sends nothing anywhere. The
// highest score wins; a tie goes to the higher stated confidence, then to the registry's order.
import type { IntentSpec } from "@/lib/agent-kit";

export type OfflineClassification = { intent: string; confidence: number; rationale: string };

const STOP = new Set(
  "the and for you your with this that have has had was were are not but can could would should will just please thanks thank hello from about what when where which who why how all any our out into there their them they its it's i'm i've want need get got like".split(
    " ",
  ),
);

/** Lower-case content words, lightly stemmed (charged, charges → charg), so "charged" meets "charge". */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[a-z][a-z']+/g) ?? [])
    .filter((w) => w.length >= 3 && !STOP.has(w))
    .map((w) => w.replace(/'s$/, "").replace(/(ing|ed|es|e|s)$/, "") || w);
}

const PATTERN_WEIGHT = 1.5;

export function classifyOffline(
  intents: readonly IntentSpec[],
  fallbackIntent: string,
  text: string,
): OfflineClassification {
  const vocabulary = intents.map(
    (i) => new Set(words([i.description, ...(i.examples ?? [])].join(" "))),
  );
  const usedBy = (word: string) => vocabulary.filter((v) => v.has(word)).length;
  const rarest = Math.log(1 + intents.length);
  const asked = [...new Set(words(text))];
  const scored = intents.map((intent, index) => {
    const shared = asked.filter((w) => vocabulary[index]!.has(w));
    const pattern = intent.offline?.pattern.test(text) ?? false;
    const own = shared.filter((w) => usedBy(w) === 1).length;
    const score =
      shared.reduce((sum, w) => sum + Math.log(1 + intents.length / usedBy(w)), 0) +
      (pattern ? PATTERN_WEIGHT * rarest : 0);
    return { intent, index, score, pattern, shared, eligible: pattern || own >= 2 };
  });
  const best = scored
    .filter((s) => s.eligible)
    .sort(
      (a, b) =>
        b.score - a.score ||
        (b.intent.offline?.confidence ?? 0) - (a.intent.offline?.confidence ?? 0) ||
        a.index - b.index,
    )[0];
  if (!best)
    return { intent: fallbackIntent, confidence: 0.6, rationale: "No specific intent recognised." };
  if (best.pattern && best.intent.offline)
    return {
      intent: best.intent.id,
      confidence: best.intent.offline.confidence,
      rationale: best.intent.offline.rationale,
    };
  return {
    intent: best.intent.id,
    confidence: 0.75,
    rationale: `The message speaks of ${best.shared.slice(0, 3).join(", ")}.`,
  };
}
