import type { InputHTMLAttributes, Ref } from "react";
import { cn } from "./cn";

type Props = Omit<InputHTMLAttributes<HTMLInputElement>, "type"> & {
  ref?: Ref<HTMLInputElement>;
  /** A radio button of a group rather than an independent tick box. */
  radio?: boolean;
};

/** A native tick box (or radio), so it posts with its form and keeps its role for readers. */
export function Checkbox({ className, ref, radio = false, ...props }: Props) {
  return (
    <input
      ref={ref}
      type={radio ? "radio" : "checkbox"}
      className={cn("h-4 w-4 accent-slate-900 disabled:opacity-60", className)}
      {...props}
    />
  );
}
