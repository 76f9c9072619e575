import Link from "next/link";
import { notFound } from "next/navigation";
import { z } from "zod";
import { registry } from "@/lib/agents";
import { settingsBounds } from "@/lib/agent-settings/setting-fields";
import { AgentSettingsForm } from "@/components/admin/agent-settings-form";
import { AgentSettingsHistory } from "@/components/admin/agent-settings-history";
import { AgentPauseSwitch } from "@/components/admin/agent-pause-switch";
import { Refusal } from "@/components/ui/refusal";
import {
  agentSettingsSchema,
  defaultSettings,
  effectiveSettings,
  settingsHistory,
} from "@/lib/agent-settings/settings";
import { pageActor } from "@/lib/auth/pages";
import { pauseState } from "@/lib/agent-pause/state";

export const metadata = { title: "Agent settings · Countersign" };

export default async function AgentSettingsPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const { actor, refused } = await pageActor("admin", `/admin/agents/${encodeURIComponent(name)}`);
  if (refused) return <Refusal actor={actor} surface="admin console" />;
  const spec = registry.find(name);
  if (!spec) notFound();
  const [current, history, pause] = await Promise.all([
    effectiveSettings(name),
    settingsHistory(name),
    pauseState(name),
  ]);
  const defaults = defaultSettings(name);
  const { properties } = z.toJSONSchema(agentSettingsSchema, { io: "input" }) as {
    properties: Record<string, unknown>;
  };
  const tools = spec.tools.map((t) => ({
    name: t.name,
    description: t.description,
    irreversible: t.irreversible,
  }));
  return (
    <div className="mx-auto max-w-5xl space-y-8">
      <div>
        <Link href="/admin/agents" className="text-sm text-slate-600 hover:underline">
          ← Agents
        </Link>
        <h1 className="mt-2 text-xl font-semibold">{spec.title} agent</h1>
        <p className="text-sm text-slate-600">{spec.description}</p>
        <p className="mt-1 text-sm">
          Current settings: <strong>version {current.version}</strong>
          {current.version === 0 && " (the defaults in the code)"}
        </p>
      </div>
      <AgentPauseSwitch state={pause} />
      <section className="rounded-lg border border-slate-200 bg-white p-5">
        <AgentSettingsForm
          agent={{ name, tools }}
          current={current}
          defaults={defaults}
          bounds={settingsBounds(properties)}
        />
      </section>
      <section aria-labelledby="history-title">
        <h2 id="history-title" className="text-lg font-semibold">
          Version history
        </h2>
        <AgentSettingsHistory history={history} defaults={defaults} />
      </section>
    </div>
  );
}
