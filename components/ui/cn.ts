import { clsx, type ClassValue } from "clsx";
import { twMerge } from "tailwind-merge";

/**
 * Joins class names and lets a later Tailwind class win over an earlier one of the same kind, so a
 * caller's `w-16` replaces a primitive's `w-full` instead of both landing in the markup.
 */
export function cn(...inputs: ClassValue[]) {
  return twMerge(clsx(inputs));
}
