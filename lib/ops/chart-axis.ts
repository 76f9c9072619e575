// Axis ticks for counts, pure (shared by the chart and its tests). A count axis starts at 0 and
// ends on a round number at or above the largest value, in whole steps, so every value drawn is
// inside the ticks ("failures up to 13" → 0, 5, 10, 15), never a rounded-off fraction.

const STEPS = [1, 2, 5];

/** 0 up to a round top ≥ `max`, in at most `maxIntervals` whole steps of 1, 2 or 5 × 10ⁿ. */
export function countTicks(max: number, maxIntervals = 5): number[] {
  const top = Math.max(1, Math.ceil(Number.isFinite(max) ? max : 0));
  for (let magnitude = 1; ; magnitude *= 10) {
    for (const unit of STEPS) {
      const step = unit * magnitude;
      const intervals = Math.ceil(top / step);
      if (intervals <= maxIntervals)
        return Array.from({ length: intervals + 1 }, (_, i) => i * step);
    }
  }
}

/** The least space (px) between two bar labels so they never overlap: the longest label's width and a gap. */
export function labelSpace(labels: string[], pxPerChar = 6.5, gap = 12): number {
  return Math.ceil(Math.max(0, ...labels.map((l) => l.length)) * pxPerChar) + gap;
}
