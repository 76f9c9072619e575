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

/**
 * A table wider than a phone scrolls inside this box, not the page. Focusable, so a keyboard
 * reader can scroll it too.
 */
export function TableScroll({
  className = "",
  children,
}: {
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <div tabIndex={0} className={`max-w-full overflow-x-auto ${className}`.trim()}>
      {children}
    </div>
  );
}
