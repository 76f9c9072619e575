import {
  approvalRate,
  LIGHT_POLICY_MIN_DECISIONS,
  LIGHT_POLICY_MIN_UNCHANGED_RATE,
  RUBBER_STAMP_MAX_MEDIAN_SECONDS,
  RUBBER_STAMP_MIN_APPROVAL_RATE,
  RUBBER_STAMP_MIN_DECISIONS,
} from "@/lib/ops/human-flags";
import type { OpsOverview } from "@/lib/ops/overview";
import { count, percent } from "./format";
import { Section } from "./ops-tables";
import { THead, Table, Td, Th } from "@/components/ui/table";
import { formatDuration } from "@/lib/format";

const NUM = "text-right tabular-nums";

/** The humans in the loop: per reviewer and per tool, with the flags and the rules behind them. */
export function OpsHumans({ ops }: { ops: OpsOverview }) {
  const { reviewers, tools, lightPolicy } = ops.humans;
  return (
    <>
      <Section
        id="reviewers-heading"
        title="Reviewers"
        note={`Time on the packet runs from the reviewer's first open of an item to their decision (decisions made without opening it are not timed). Flagged: at least ${RUBBER_STAMP_MIN_DECISIONS} timed decisions, a median under ${RUBBER_STAMP_MAX_MEDIAN_SECONDS} s, and ${percent(RUBBER_STAMP_MIN_APPROVAL_RATE, 0)} or more approved.`}
      >
        <Table variant="plain" aria-label="Reviewers">
          <THead>
            <tr>
              <Th>Reviewer</Th>
              <Th className={NUM}>Decisions</Th>
              <Th className={NUM}>Approval rate</Th>
              <Th className={NUM}>Edited</Th>
              <Th className={NUM}>Rejected</Th>
              <Th className={NUM}>Median time on packet</Th>
              <Th className={NUM}>Timed</Th>
              <Th>Flag</Th>
            </tr>
          </THead>
          <tbody>
            {reviewers.map((r) => (
              <tr
                key={r.reviewerId}
                className={`border-t border-slate-100 ${r.flagged ? "bg-amber-50" : ""}`}
              >
                <Td>{r.email}</Td>
                <Td className={NUM}>{count(r.decisions)}</Td>
                <Td className={NUM}>{percent(approvalRate(r))}</Td>
                <Td className={NUM}>{count(r.edited)}</Td>
                <Td className={NUM}>{count(r.rejected)}</Td>
                <Td className={NUM}>{formatDuration(r.medianReviewSeconds)}</Td>
                <Td className={NUM}>{count(r.timedDecisions)}</Td>
                <Td>
                  {r.flagged && (
                    <span className="rounded-full bg-amber-200 px-2 py-0.5 text-xs font-medium text-amber-900">
                      Possible rubber-stamping
                    </span>
                  )}
                </Td>
              </tr>
            ))}
            {reviewers.length === 0 && (
              <tr>
                <Td colSpan={8} className="p-6 text-center text-slate-500">
                  No decisions in this window.
                </Td>
              </tr>
            )}
          </tbody>
        </Table>
      </Section>
      <Section
        id="tool-decisions-heading"
        title="Decisions per tool"
        note="Per tool: how reviewers decided its parked calls and how long they spent."
      >
        <Table variant="plain" aria-label="Decisions per tool">
          <THead>
            <tr>
              <Th>Agent</Th>
              <Th>Tool</Th>
              <Th className={NUM}>Decisions</Th>
              <Th className={NUM}>Approved unchanged</Th>
              <Th className={NUM}>Edited</Th>
              <Th className={NUM}>Rejected</Th>
              <Th className={NUM}>Median time on packet</Th>
            </tr>
          </THead>
          <tbody>
            {tools.map((t) => (
              <tr key={`${t.agent}-${t.tool}`} className="border-t border-slate-100">
                <Td>{t.agent}</Td>
                <Td>
                  {t.tool}
                  {t.irreversible && (
                    <span className="ml-1 text-xs text-slate-500">(irreversible)</span>
                  )}
                </Td>
                <Td className={NUM}>{count(t.decisions)}</Td>
                <Td className={NUM}>
                  {percent(t.decisions ? t.approvedUnchanged / t.decisions : null)}
                </Td>
                <Td className={NUM}>{count(t.edited)}</Td>
                <Td className={NUM}>{count(t.rejected)}</Td>
                <Td className={NUM}>{formatDuration(t.medianReviewSeconds)}</Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Section>
      <Section
        id="light-policy-heading"
        title="Candidates for a lighter policy"
        note={`Tools whose calls were approved unchanged at least ${percent(LIGHT_POLICY_MIN_UNCHANGED_RATE, 0)} of the time over at least ${LIGHT_POLICY_MIN_DECISIONS} decisions. A suggestion for an admin, never applied automatically; irreversible tools are listed but stay gated.`}
      >
        <ul
          aria-label="Candidates for a lighter policy"
          className="divide-y divide-slate-100 bg-white text-sm"
        >
          {lightPolicy.map((t) => (
            <li
              key={`${t.agent}-${t.tool}`}
              className="flex flex-wrap items-baseline gap-x-3 px-3 py-2"
            >
              <span className="font-medium">
                {t.agent} · {t.tool}
              </span>
              <span className="tabular-nums text-slate-600">
                {percent(t.unchangedRate)} unchanged of {count(t.decisions)}
              </span>
              <span className={t.irreversible ? "text-slate-700" : "text-emerald-800"}>
                {t.suggestion}
              </span>
              {!t.irreversible && (
                <a className="underline" href={`/admin/agents/${t.agent}`}>
                  Open {t.agent}&apos;s settings
                </a>
              )}
            </li>
          ))}
          {lightPolicy.length === 0 && (
            <li className="p-6 text-center text-slate-500">
              No tool meets the bar in this window.
            </li>
          )}
        </ul>
      </Section>
    </>
  );
}
