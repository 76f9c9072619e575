import type { ButtonHTMLAttributes } from "react";

// The app's buttons in one place, so a change of look is one edit rather than thirty.
const VARIANTS = {
  primary: "bg-slate-900 text-white",
  secondary: "border border-slate-300 bg-white text-slate-900",
  approve: "bg-emerald-700 text-white",
  danger: "bg-red-700 text-white",
} as const;
const SIZES = { sm: "px-3 py-1.5 text-sm", md: "px-4 py-2 text-sm" } as const;

export type ButtonVariant = keyof typeof VARIANTS;

/** The class string of a button, for the few places that style a link or label as one. */
export function buttonClass(
  variant: ButtonVariant = "primary",
  size: keyof typeof SIZES = "md",
  extra = "",
) {
  return `rounded-md font-medium disabled:opacity-60 ${VARIANTS[variant]} ${SIZES[size]} ${extra}`.trim();
}

type Props = ButtonHTMLAttributes<HTMLButtonElement> & {
  variant?: ButtonVariant;
  size?: keyof typeof SIZES;
};

export function Button({
  variant = "primary",
  size = "md",
  className = "",
  type = "button",
  ...props
}: Props) {
  return <button type={type} className={buttonClass(variant, size, className)} {...props} />;
}
