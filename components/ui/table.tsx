import type { TdHTMLAttributes, ThHTMLAttributes } from "react";

// Table cells share one padding; a cell's own classes (alignment, tone) are added to it.
const CELL = "px-3 py-2";

export const tableClass = "w-full rounded-lg border border-slate-200 bg-white text-left text-sm";
export const tableHeadClass = "bg-slate-100 text-xs uppercase text-slate-600";

export function Th({ className = "", ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th className={`${CELL} ${className}`.trim()} {...props} />;
}

export function Td({ className = "", ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={`${CELL} ${className}`.trim()} {...props} />;
}
