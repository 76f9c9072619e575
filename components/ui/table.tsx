import { cva, type VariantProps } from "class-variance-authority";
import type {
  HTMLAttributes,
  ReactNode,
  TableHTMLAttributes,
  TdHTMLAttributes,
  ThHTMLAttributes,
} from "react";
import { cn } from "./cn";

const tableVariants = cva("w-full text-left", {
  variants: {
    // framed: a table that stands on the page; plain: one inside a card that already has a frame.
    variant: {
      framed: "rounded-lg border border-slate-200 bg-white",
      plain: "bg-white",
      bare: "",
    },
    density: { normal: "text-sm", compact: "text-xs" },
  },
  defaultVariants: { variant: "framed", density: "normal" },
});

export function Table({
  variant,
  density,
  className,
  ...props
}: TableHTMLAttributes<HTMLTableElement> & VariantProps<typeof tableVariants>) {
  return <table className={cn(tableVariants({ variant, density }), className)} {...props} />;
}

const headVariants = cva("", {
  variants: {
    // shaded: the app's column heads; quiet: grey words only, for small tables inside a card.
    look: {
      shaded: "bg-slate-100 text-xs uppercase text-slate-600",
      quiet: "text-slate-500",
    },
  },
  defaultVariants: { look: "shaded" },
});

export function THead({
  look,
  className,
  ...props
}: HTMLAttributes<HTMLTableSectionElement> & VariantProps<typeof headVariants>) {
  return <thead className={cn(headVariants({ look }), className)} {...props} />;
}

/** A body row: a hairline above it separates it from the row before. */
export function Tr({ className, ...props }: HTMLAttributes<HTMLTableRowElement>) {
  return <tr className={cn("border-t border-slate-100", className)} {...props} />;
}

// Table cells share one padding; a cell's own classes (alignment, tone) are added to it.
const CELL = "px-3 py-2";

export function Th({ className, ...props }: ThHTMLAttributes<HTMLTableCellElement>) {
  return <th className={cn(CELL, className)} {...props} />;
}

export function Td({ className, ...props }: TdHTMLAttributes<HTMLTableCellElement>) {
  return <td className={cn(CELL, className)} {...props} />;
}

/**
 * A table wider than a phone scrolls inside this box, not the page. Focusable, so a keyboard
 * reader can scroll it too.
 */
export function TableScroll({ className, children }: { className?: string; children: ReactNode }) {
  return (
    <div tabIndex={0} className={cn("max-w-full overflow-x-auto", className)}>
      {children}
    </div>
  );
}
