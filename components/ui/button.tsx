import { cva, type VariantProps } from "class-variance-authority";
import { Slot } from "radix-ui";
import type { ButtonHTMLAttributes } from "react";
import { cn } from "./cn";

// The app's buttons in one place, so a change of look is one edit rather than thirty.
export const buttonVariants = cva("rounded-md font-medium disabled:opacity-60", {
  variants: {
    variant: {
      primary: "bg-slate-900 text-white",
      secondary: "border border-slate-300 bg-white text-slate-900",
      approve: "bg-emerald-700 text-white",
      danger: "bg-red-700 text-white",
      // A destructive action that is not the page's main one (revoke, remove).
      "danger-outline": "border border-red-300 bg-white text-red-700",
      // An icon or quiet control in a toolbar.
      ghost: "text-slate-700 hover:bg-slate-100",
      // Reads as a link but does something on the page (clear, mark read, dismiss).
      link: "rounded-none font-normal underline disabled:no-underline disabled:opacity-50",
    },
    size: {
      xs: "px-2 py-1 text-xs",
      sm: "px-3 py-1.5 text-sm",
      md: "px-4 py-2 text-sm",
      icon: "p-1.5",
      // No box of its own: inline text controls take the size of the text around them.
      inline: "p-0",
    },
  },
  defaultVariants: { variant: "primary", size: "md" },
});

export type ButtonVariant = NonNullable<VariantProps<typeof buttonVariants>["variant"]>;

type Props = ButtonHTMLAttributes<HTMLButtonElement> &
  VariantProps<typeof buttonVariants> & {
    /** Renders the child (a Link) with the button's look instead of a <button>. */
    asChild?: boolean;
  };

export function Button({ variant, size, className, asChild = false, ...props }: Props) {
  const classes = cn(buttonVariants({ variant, size }), className);
  if (asChild) return <Slot.Root className={classes} {...props} />;
  // A button inside a form submits it unless told otherwise; say "submit" where that is meant.
  return <button type="button" {...props} className={classes} />;
}
