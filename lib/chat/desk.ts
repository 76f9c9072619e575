import "server-only";
import { registry } from "@/lib/agents";

// What the chat page says the assistant does, from the agents installed: their titles, and one
// example request of each agent's first intent, offered to a customer who has not written yet.
export function deskCopy() {
  const titles = registry.agents.map((a) => a.title.toLowerCase());
  const list =
    titles.length > 1 ? `${titles.slice(0, -1).join(", ")} or ${titles.at(-1)}` : (titles[0] ?? "");
  return {
    title: registry.assistant,
    intro: `Ask about ${list}. Anything irreversible is confirmed by our team first.`,
    examples: registry.agents.flatMap((a) => a.intents[0]?.examples?.slice(0, 1) ?? []),
  };
}
