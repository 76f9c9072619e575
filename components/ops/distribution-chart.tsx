"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef } from "react";
import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { labelSpace } from "@/lib/ops/chart-axis";

// A distribution as bars (uPlot's bar path builder); clicking a bar opens its runs.

export function DistributionChart({
  title,
  labels,
  counts,
  hrefs,
  color,
}: {
  title: string;
  labels: string[];
  counts: number[];
  hrefs: (string | null)[];
  color: string;
}) {
  const target = useRef<HTMLDivElement>(null);
  const router = useRouter();
  useEffect(() => {
    const element = target.current;
    if (!element) return;
    const xs = counts.map((_, i) => i);
    const plot = new uPlot(
      {
        width: element.clientWidth || 400,
        height: 160,
        legend: { show: false },
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: false, range: [-0.5, counts.length - 0.5] } },
        series: [
          {},
          {
            label: title,
            stroke: color,
            fill: `${color}99`,
            paths: uPlot.paths.bars!({ size: [0.8, 60] }),
            points: { show: false },
          },
        ],
        // A label on whole bars only, as far apart as the longest label is wide: no two overlap
        // (uPlot skips bars to keep the space; the table beside the chart names every bar).
        axes: [
          {
            values: (_u: uPlot, ticks: number[]) =>
              ticks.map((t) => (Number.isInteger(t) ? (labels[t] ?? "") : "")),
            space: labelSpace(labels),
            incrs: [1, 2, 3, 4, 5, 6, 8, 10, 20, 50],
          },
          {},
        ],
      },
      [xs, counts],
      element,
    );
    const open = () => {
      const idx = plot.cursor.idx;
      const href = idx === null || idx === undefined ? null : hrefs[idx];
      if (href) router.push(href);
    };
    plot.over.addEventListener("click", open);
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: element.clientWidth || 400, height: 160 }),
    );
    resize.observe(element);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [labels, counts, hrefs, title, color, router]);
  return (
    <div
      ref={target}
      role="img"
      aria-label={`${title} (chart; the table beside it holds the same numbers)`}
      data-testid="ops-chart"
      className="min-h-[160px] w-full"
    />
  );
}
