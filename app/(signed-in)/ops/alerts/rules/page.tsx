import Link from "next/link";
import { AlertRuleForm } from "@/components/ops/alert-rule-form";
import { Refusal } from "@/components/ui/refusal";
import { registry } from "@/lib/agents";
import { effectiveRules } from "@/lib/alerts/rules";
import { DEFAULT_ALERT_RULES } from "@/lib/alerts/rule-schema";
import { pageActor } from "@/lib/auth/pages";

export const metadata = { title: "Alert rules · Countersign" };

export default async function AlertRulesPage() {
  const { actor, refused } = await pageActor("admin", "/ops/alerts/rules");
  if (refused) return <Refusal actor={actor} surface="alert rules" />;
  const rules = await effectiveRules();
  const agents = registry.agents.map((a) => a.name);
  const template = { ...DEFAULT_ALERT_RULES["token-spike"]!, name: "" };
  return (
    <div className="space-y-6">
      <Link href="/ops/alerts" className="text-sm text-slate-600 hover:underline">
        ← Alerts
      </Link>
      <div>
        <h1 className="text-xl font-semibold">Alert rules</h1>
        <p className="text-sm text-slate-600">
          Every save is a new version with your name, the time and the reason (and an audit entry).
          Per-run metrics compare the median of the window&apos;s runs; “times the baseline”
          compares each run with its agent&apos;s median of the last 7 days.
        </p>
      </div>
      {rules.map((r) => (
        <section key={r.key} aria-label={r.rule.name}>
          <h2 className="mb-2 text-sm font-semibold">
            {r.key}{" "}
            <span className="font-normal text-slate-500">
              · version {r.version}
              {r.version === 0 ? " (built in)" : ""}
            </span>
          </h2>
          <AlertRuleForm ruleKey={r.key} version={r.version} rule={r.rule} agents={agents} />
        </section>
      ))}
      <section aria-label="New rule">
        <h2 className="mb-2 text-sm font-semibold">New rule</h2>
        <AlertRuleForm ruleKey={null} version={0} rule={template} agents={agents} />
      </section>
    </div>
  );
}
