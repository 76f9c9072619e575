import { outOfScope, type OfflineScript } from "@/lib/agent-kit";

// How the offline demo model plays general support: answer from the published policies, or hand off.
export const supportOffline: OfflineScript = ({ ask, seen, call, say, handOff }) => {
  const refused = outOfScope(ask);
  if (refused) return say(refused.refusal);
  const search = seen.find((s) => s.name === "search_policies");
  if (!search?.result)
    return call(
      "search_policies",
      { query: ask.slice(0, 200) },
      0.9,
      "Answer from the published policies.",
    );
  if (!search.result.ok) {
    const failure = search.result.value;
    if (failure.status === "rejected" || failure.status === "expired")
      return say("If you'd like to ask again, write here.");
    return handOff(
      "The policies could not be searched.",
      "I couldn't look at our policies just now; a team member will follow up with you here.",
    );
  }
  const hits =
    search.result.ok && Array.isArray(search.result.value.items)
      ? (search.result.value.items as Array<{ title: string; text: string }>)
      : [];
  if (hits.length === 0)
    return handOff(
      "No published policy answers the question.",
      "I don't have a policy that answers that; a team member will follow up with you here.",
    );
  return say(hits.map((h) => `${h.title}: ${h.text}`).join("\n"));
};
