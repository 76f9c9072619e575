import { useEffect, useLayoutEffect, useRef } from "react";

export type TriageHandlers = {
  next: () => void;
  previous: () => void;
  approve: () => void;
  reject: () => void;
  edit: () => void;
  open: () => void;
  toggleTick: () => void;
  showHelp: () => void;
};

/** Keys typed into a field are text, not commands. */
function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLInputElement)
    return !["checkbox", "radio", "button", "submit", "reset"].includes(target.type);
  return target.isContentEditable || ["TEXTAREA", "SELECT"].includes(target.tagName);
}

/** The inbox's single-key shortcuts; off while typing, while a dialog is open, and with modifiers. */
export function useTriageKeys(handlers: TriageHandlers) {
  const latest = useRef(handlers);
  // A layout effect, so a key pressed the moment a selection appears on screen already acts on it.
  useLayoutEffect(() => {
    latest.current = handlers;
  });
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.ctrlKey || event.metaKey || event.altKey || event.repeat)
        return;
      if (isTyping(event.target) || document.querySelector("dialog[open]")) return;
      const h = latest.current;
      const action: Record<string, () => void> = {
        j: h.next,
        k: h.previous,
        a: h.approve,
        r: h.reject,
        e: h.edit,
        o: h.open,
        Enter: h.open,
        x: h.toggleTick,
        "?": h.showHelp,
      };
      // A focused link or button keeps its own Enter.
      if (
        event.key === "Enter" &&
        event.target instanceof HTMLElement &&
        event.target.closest("a, button")
      )
        return;
      const run = action[event.key];
      if (!run) return;
      event.preventDefault();
      run();
    };
    document.addEventListener("keydown", onKey);
    return () => document.removeEventListener("keydown", onKey);
  }, []);
}
