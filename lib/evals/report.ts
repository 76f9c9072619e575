import type { EvalReport } from "./run";
import { formatMicros } from "@/lib/format";

// The results table `npm run eval` prints: one line per case, its failures under it, a summary.
const pad = (text: string, width: number) =>
  text.length >= width ? text : text + " ".repeat(width - text.length);

export function formatReport(report: EvalReport): string {
  const width = Math.max(24, ...report.cases.map((c) => c.key.length)) + 2;
  const lines = [
    `${report.agent} · settings version ${report.version} · ${report.modelProvider} · suites ${report.suites.join(", ")}`,
    "",
    `${pad("case", width)}${pad("result", 12)}${pad("calls", 7)}${pad("tokens", 9)}${pad("cost", 10)}time`,
  ];
  for (const c of report.cases) {
    const result = c.passed ? "pass" : c.regression ? "REGRESSION" : "fail";
    lines.push(
      `${pad(c.key, width)}${pad(result, 12)}${pad(String(c.observation.calls.length), 7)}${pad(String(c.observation.tokens), 9)}${pad(formatMicros(c.observation.costMicros, 4), 10)}${c.observation.durationMs} ms`,
    );
    for (const failure of c.failures) lines.push(`    - ${failure}`);
  }
  lines.push(
    "",
    `${report.passed}/${report.cases.length} passed · ${report.tokens} tokens · ${formatMicros(report.costMicros, 4)} · ${(report.durationMs / 1000).toFixed(1)} s` +
      (report.baselineRunId
        ? ` · compared with eval run ${report.baselineRunId}`
        : " · no earlier result to compare with"),
  );
  if (report.regressions.length)
    lines.push(`Regressions (${report.regressions.length}): ${report.regressions.join(", ")}`);
  else if (report.failed)
    lines.push(`No regressions: the ${report.failed} failing case(s) failed last time too.`);
  return lines.join("\n");
}
