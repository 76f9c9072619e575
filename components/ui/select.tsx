import type { Ref, SelectHTMLAttributes } from "react";
import { cn } from "./cn";
import { controlClass } from "./input";

/**
 * A native <select>, styled: it keeps the platform's keyboard and screen-reader behaviour and
 * posts with its form, which a custom listbox would have to rebuild.
 */
export function Select({
  className,
  ref,
  ...props
}: SelectHTMLAttributes<HTMLSelectElement> & { ref?: Ref<HTMLSelectElement> }) {
  return <select ref={ref} className={cn(controlClass, className)} {...props} />;
}
