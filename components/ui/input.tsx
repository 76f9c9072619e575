import type { InputHTMLAttributes, Ref } from "react";
import { cn } from "./cn";

export const controlClass =
  "w-full rounded-md border border-slate-300 bg-white px-2 py-1 disabled:opacity-60 aria-[invalid=true]:border-red-600";

/** A text-like input (text, number, date, search, password). Checkboxes use <Checkbox>. */
export function Input({
  className,
  ref,
  ...props
}: InputHTMLAttributes<HTMLInputElement> & { ref?: Ref<HTMLInputElement> }) {
  return <input ref={ref} className={cn(controlClass, className)} {...props} />;
}
