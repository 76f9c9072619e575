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
