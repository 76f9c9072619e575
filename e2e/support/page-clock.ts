import type { Page } from "@playwright/test";

// Times measured inside the page: the moment a text appears is taken by a MutationObserver in the
// page itself (no polling interval from the test's side in the figure), on the browser's clock,
// the same clock as a request's timing() in any page of the same browser.

declare global {
  interface Window {
    __countersignTextSeen?: Promise<number>;
  }
}

/**
 * Starts watching `page` for `pattern` in its text. Returns a function that waits (up to
 * `timeoutMs`) for it and gives when it appeared, in ms since the epoch. One watch per page at a time.
 */
export async function watchForText(
  page: Page,
  pattern: RegExp,
): Promise<(timeoutMs: number) => Promise<number>> {
  await page.evaluate(
    ({ source, flags }) => {
      const wanted = new RegExp(source, flags);
      window.__countersignTextSeen = new Promise<number>((resolve) => {
        const seen = () => wanted.test(document.body.textContent ?? "");
        if (seen()) return resolve(Date.now());
        const observer = new MutationObserver(() => {
          if (!seen()) return;
          observer.disconnect();
          resolve(Date.now());
        });
        observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      });
    },
    { source: pattern.source, flags: pattern.flags },
  );
  return async (timeoutMs) => {
    const at = await page.evaluate(
      (ms) =>
        Promise.race([
          window.__countersignTextSeen!,
          new Promise<null>((resolve) => setTimeout(() => resolve(null), ms)),
        ]),
      timeoutMs,
    );
    if (at === null) throw new Error(`"${pattern.source}" did not appear within ${timeoutMs} ms`);
    return at;
  };
}

/**
 * From the next page load on, notes on the page's clock when each message of the page's
 * EventSource arrives (just before the app's own handler sees it).
 */
export async function recordStreamArrivals(page: Page): Promise<void> {
  await page.addInitScript(() => {
    const Native = window.EventSource;
    const arrivals: number[] = [];
    (window as unknown as { __countersignStreamArrivals: number[] }).__countersignStreamArrivals =
      arrivals;
    window.EventSource = class extends Native {
      constructor(url: string | URL, init?: EventSourceInit) {
        super(url, init);
        this.addEventListener("message", () => arrivals.push(Date.now()));
      }
    };
  });
}

/** When the page's stream messages arrived after `from` and no later than `to`, oldest first. */
export function streamArrivalsBetween(page: Page, from: number, to: number): Promise<number[]> {
  return page.evaluate(
    ([after, until]) => {
      const arrivals = (window as unknown as { __countersignStreamArrivals?: number[] })
        .__countersignStreamArrivals;
      return (arrivals ?? []).filter((at) => at > after && at <= until);
    },
    [from, to] as const,
  );
}
