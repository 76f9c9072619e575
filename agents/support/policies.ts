// The shop's published policies, searched by the support agent.
const POLICIES = [
  {
    id: "returns",
    title: "Returns",
    text: "Items can be returned within 30 days of delivery for a full refund. Damaged items are refunded without a return.",
  },
  {
    id: "refunds",
    title: "Refunds",
    text: "Refunds go back to the original payment method within 5 business days of approval by our team.",
  },
  {
    id: "delivery",
    title: "Delivery",
    text: "Orders ship within 2 business days. Tracking links are emailed when the parcel leaves our warehouse.",
  },
  {
    id: "accounts",
    title: "Accounts",
    text: "Password resets and email changes are confirmed by our team for your security.",
  },
];

// Words that say nothing about which policy is meant ("can you…", "what is your…").
const STOPWORDS = new Set(
  "the and for you your are can what how who why when where which with this that have has was were will would could should please thanks thank does did not any about from into our out get got let tell want need know".split(
    " ",
  ),
);

export function searchPolicies(query: string) {
  const words = query
    .toLowerCase()
    .split(/\W+/)
    .filter((w) => w.length > 2 && !STOPWORDS.has(w));
  const scored = POLICIES.map((p) => ({
    p,
    score: words.filter((w) => `${p.title} ${p.text}`.toLowerCase().includes(w)).length,
  }));
  return scored
    .filter((s) => s.score > 0)
    .sort((a, b) => b.score - a.score)
    .map((s) => s.p)
    .slice(0, 3);
}
