import type { Ref, TextareaHTMLAttributes } from "react";
import { cn } from "./cn";
import { controlClass } from "./input";

export function Textarea({
  className,
  ref,
  ...props
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { ref?: Ref<HTMLTextAreaElement> }) {
  return <textarea ref={ref} className={cn(controlClass, className)} {...props} />;
}
