"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { countTicks } from "@/lib/ops/chart-axis";
import { formatDateTime } from "@/lib/format";

// A time series drawn with uPlot (see docs/operating.md: ~50 KB, canvas, no dependencies). Clicking a point
// opens the runs behind it (the bucket's `href`). The numbers are always beside the chart in the
// server-rendered figures, so nothing here is the only way to read a value.

export type SeriesSpec = {
  label: string;
  values: (number | null)[];
  color: string;
  format: "count" | "dollars" | "seconds";
};

// The time axis in the product's words and in UTC like every figure beside it: "1 Dec" for days,
// "14:00" within one (uPlot's default wrote "12/1", month first, in the browser's zone).
const dayLabel = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "short",
  timeZone: "UTC",
});
const hourLabel = new Intl.DateTimeFormat("en-GB", {
  hour: "2-digit",
  minute: "2-digit",
  hourCycle: "h23",
  timeZone: "UTC",
});
const timeTicks = (_u: uPlot, ticks: number[]) => {
  const step = ticks.length > 1 ? ticks[1]! - ticks[0]! : 86_400;
  return ticks.map((t) => (step >= 86_400 ? dayLabel : hourLabel).format(new Date(t * 1000)));
};

const formatters = {
  count: (v: number) => Math.round(v).toLocaleString("en"),
  dollars: (v: number) => `$${v.toFixed(v < 1 ? 3 : 2)}`,
  seconds: (v: number) => `${v.toFixed(1)} s`,
};

export function TimeSeriesChart({
  title,
  times,
  series,
  hrefs,
  height = 180,
}: {
  title: string;
  times: number[];
  series: SeriesSpec[];
  hrefs: string[];
  height?: number;
}) {
  const target = useRef<HTMLDivElement>(null);
  const router = useRouter();
  // Each series has its own axis (left for the first, right for the others). A count axis gets
  // whole ticks from 0 past its largest value, so the right axis of "failures up to 13" reads
  // 0–15, not uPlot's rounded-off fractions of a scale it guessed.
  const scaleOf = (i: number) => (i === 0 ? "y" : `y${i}`);
  const ticks = series.map((s) =>
    s.format === "count" ? countTicks(Math.max(0, ...s.values.map((v) => v ?? 0))) : null,
  );
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const plot = new uPlot(
      {
        width: element.clientWidth || 600,
        height,
        legend: { show: true },
        cursor: { drag: { x: false, y: false } },
        scales: {
          x: { time: true },
          ...Object.fromEntries(
            series.map((_, i) => [
              scaleOf(i),
              ticks[i] ? { range: (): uPlot.Range.MinMax => [0, ticks[i]!.at(-1)!] } : {},
            ]),
          ),
        },
        series: [
          { value: (_u: uPlot, v: number | null) => (v === null ? "—" : formatDateTime(v * 1000)) },
          ...series.map((s, i) => ({
            label: s.label,
            stroke: s.color,
            fill: `${s.color}22`,
            width: 1.5,
            scale: scaleOf(i),
            value: (_u: uPlot, v: number | null) => (v === null ? "—" : formatters[s.format](v)),
          })),
        ],
        axes: [
          { values: timeTicks },
          ...series.map((s, i) => ({
            scale: scaleOf(i),
            side: i === 0 ? 3 : 1,
            grid: { show: i === 0 },
            ...(ticks[i] && { splits: () => ticks[i]! }),
            values: (_u: uPlot, ticks: number[]) => ticks.map((t) => formatters[s.format](t)),
          })),
        ],
      },
      [times, ...series.map((s) => s.values)] as uPlot.AlignedData,
      element,
    );
    const open = () => {
      const idx = plot.cursor.idx;
      if (idx !== null && idx !== undefined && hrefs[idx]) router.push(hrefs[idx]);
    };
    plot.over.addEventListener("click", open);
    plot.over.style.cursor = "pointer";
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: element.clientWidth || 600, height }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- `ticks` and `scaleOf` derive from `series`
  }, [times, series, hrefs, height, router]);
  return (
    <div
      ref={target}
      role="img"
      aria-label={`${title} (chart; the figures beside it hold the same numbers; click a point for its runs)`}
      data-testid="ops-chart"
      // The ticks each count axis draws (on the canvas), for whoever checks the axes are honest.
      data-axis-ticks={JSON.stringify(
        Object.fromEntries(series.map((s, i) => [s.label, ticks[i]]).filter(([, t]) => t)),
      )}
      className="min-h-[180px] w-full"
    />
  );
}
