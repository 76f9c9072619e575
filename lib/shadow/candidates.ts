import "server-only";
import { settingsHistory } from "@/lib/agent-settings/settings";
import { registry } from "@/lib/agents";

/** Every saved settings version that is not its agent's active one: what may be put in shadow. */
export async function shadowCandidates(): Promise<
  { agent: string; version: number; label: string }[]
> {
  const histories = await Promise.all(
    registry.agents.map(async (a) => ({ agent: a.name, versions: await settingsHistory(a.name) })),
  );
  return histories.flatMap(({ agent, versions }) =>
    versions
      .filter((v) => !v.active)
      .map((v) => ({ agent, version: v.version, label: `${agent} v${v.version} · ${v.reason}` })),
  );
}
