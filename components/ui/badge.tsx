import { cva, type VariantProps } from "class-variance-authority";
import type { HTMLAttributes } from "react";
import { cn } from "./cn";

export const badgeVariants = cva("inline-block rounded-full px-2 py-0.5 text-xs font-medium", {
  variants: {
    tone: {
      neutral: "bg-slate-100 text-slate-700",
      good: "bg-emerald-100 text-emerald-800",
      warning: "bg-amber-100 text-amber-900",
      bad: "bg-red-100 text-red-800",
      info: "bg-sky-100 text-sky-800",
      // Stopped by a person or a limit: neither a failure nor a success.
      stopped: "bg-orange-100 text-orange-900",
      // Withdrawn: quieter than neutral.
      muted: "bg-slate-200 text-slate-700",
    },
  },
  defaultVariants: { tone: "neutral" },
});

export type BadgeTone = NonNullable<VariantProps<typeof badgeVariants>["tone"]>;

export function Badge({
  tone,
  className,
  ...props
}: HTMLAttributes<HTMLSpanElement> & VariantProps<typeof badgeVariants>) {
  return <span className={cn(badgeVariants({ tone }), className)} {...props} />;
}
