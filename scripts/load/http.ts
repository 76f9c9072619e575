// One customer's browser, as far as the server can tell: a cookie jar, the Origin a browser
// sends, and every request timed and recorded (status, latency, kind).

/**
 * `read`: the thread read after the stream said it changed; `stream`: opening the stream, to its
 * first event; `page`: the chat's server-rendered page.
 */
export type RequestKind = "sign-in" | "page" | "send" | "poll" | "read" | "stream";
/**
 * A customer's thread and run events bring the thread (`thread`), or say the next one does, or
 * that it is unchanged (a run that only started running).
 */
export type StreamEvent = {
  kind: string;
  runId?: string | null;
  thread?: { messages?: Array<{ author: string; text: string; runId?: string }> };
  threadFollows?: boolean;
  threadUnchanged?: boolean;
};
/** `app`: which of the started app processes answered (its index), for the kill's accounting. */
export type RequestRecord = {
  kind: RequestKind;
  status: number;
  ms: number;
  app: number;
  at: number;
  error?: string;
};

export class Session {
  private readonly cookies = new Map<string, string>();
  /** Index into `baseUrls` of the app process this customer talks to now. */
  app: number;

  constructor(
    private readonly baseUrls: readonly string[],
    private records: RequestRecord[],
    private readonly signal: AbortSignal,
    app = 0,
  ) {
    this.app = app % baseUrls.length;
  }

  /** From now on, this session's requests are recorded in `records` (one list per phase). */
  recordInto(records: RequestRecord[]) {
    this.records = records;
  }

  get baseUrl(): string {
    return this.baseUrls[this.app]!;
  }

  /**
   * Moves this customer to the next app process, as a load balancer does when one stops
   * answering; the session cookie is valid on every process (one secret, one database). False
   * when there is no other process to move to.
   */
  failover(): boolean {
    if (this.baseUrls.length < 2) return false;
    this.app = (this.app + 1) % this.baseUrls.length;
    return true;
  }

  async request(
    kind: RequestKind,
    path: string,
    init: { method?: string; json?: unknown; form?: Record<string, string> } = {},
  ): Promise<{ status: number; body: unknown }> {
    const headers: Record<string, string> = {
      accept: kind === "page" ? "text/html" : "application/json",
      origin: this.baseUrl,
    };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    let body: string | undefined;
    if (init.json !== undefined) {
      headers["content-type"] = "application/json";
      body = JSON.stringify(init.json);
    } else if (init.form) {
      headers["content-type"] = "application/x-www-form-urlencoded";
      body = new URLSearchParams(init.form).toString();
    }
    const started = performance.now();
    try {
      const response = await fetch(`${this.baseUrl}${path}`, {
        method: init.method ?? "GET",
        headers,
        body,
        redirect: "manual",
        signal: this.signal,
      });
      for (const cookie of response.headers.getSetCookie()) {
        const [pair] = cookie.split(";");
        const at = pair?.indexOf("=") ?? -1;
        if (pair && at > 0) this.cookies.set(pair.slice(0, at).trim(), pair.slice(at + 1).trim());
      }
      const text = await response.text();
      const record: RequestRecord = {
        kind,
        status: response.status,
        ms: performance.now() - started,
        app: this.app,
        at: started,
      };
      if (response.status >= 400) record.error = `${response.status} ${text.slice(0, 200)}`;
      this.records.push(record);
      return { status: response.status, body: parseJson(text) };
    } catch (error) {
      this.records.push({
        kind,
        status: 0,
        ms: performance.now() - started,
        app: this.app,
        at: started,
        error: error instanceof Error ? error.message : String(error),
      });
      throw error;
    }
  }

  /**
   * Opens GET /api/stream as the chat page's EventSource does, and calls `onEvent` with each
   * event until `close`. Resolves once the stream has sent its first event ("ready").
   */
  async openStream(
    onEvent: (event: StreamEvent) => void,
    onEnd: () => void = () => {},
  ): Promise<{ close: () => void }> {
    const abort = new AbortController();
    this.signal.addEventListener("abort", () => abort.abort(), { once: true });
    const headers: Record<string, string> = { accept: "text/event-stream", origin: this.baseUrl };
    if (this.cookies.size)
      headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
    const started = performance.now();
    const app = this.app;
    const fail = (status: number, error: string) => {
      const ms = performance.now() - started;
      this.records.push({ kind: "stream", status, ms, app, at: started, error });
      throw new Error(error);
    };
    const response = await fetch(`${this.baseUrl}/api/stream`, {
      headers,
      signal: abort.signal,
    }).catch((error: unknown) => fail(0, error instanceof Error ? error.message : String(error)));
    if (!response.ok || !response.body) fail(response.status, `stream answered ${response.status}`);
    let markReady = () => {};
    let notReady = (_error: Error) => {};
    const ready = new Promise<void>(
      (resolve, reject) => ((markReady = resolve), (notReady = reject)),
    );
    void (async () => {
      const decoder = new TextDecoder();
      let text = "";
      try {
        for await (const chunk of response.body!) {
          text += decoder.decode(chunk as Uint8Array, { stream: true });
          let end: number;
          while ((end = text.indexOf("\n\n")) >= 0) {
            const data = text
              .slice(0, end)
              .split("\n")
              .find((line) => line.startsWith("data: "));
            text = text.slice(end + 2);
            const event = data ? (parseJson(data.slice(6)) as StreamEvent | null) : null;
            if (!event) continue;
            if (event.kind === "ready") {
              const ms = performance.now() - started;
              this.records.push({ kind: "stream", status: 200, ms, app, at: started });
              markReady();
            }
            onEvent(event);
          }
        }
      } catch {
        // closed by us, or by the deadline
      }
      notReady(new Error("the stream ended before it was ready"));
      if (!abort.signal.aborted) onEnd();
    })();
    await ready;
    return { close: () => abort.abort() };
  }

  /** next-auth's credentials sign-in, as the sign-in form does it: a CSRF token, then the post. */
  async signIn(email: string, password: string): Promise<boolean> {
    const csrf = await this.request("sign-in", "/api/auth/csrf");
    const token = (csrf.body as { csrfToken?: unknown } | null)?.csrfToken;
    if (typeof token !== "string") return false;
    const result = await this.request("sign-in", "/api/auth/callback/credentials", {
      method: "POST",
      form: {
        email,
        password,
        csrfToken: token,
        callbackUrl: `${this.baseUrl}/chat`,
        json: "true",
      },
    });
    return (
      result.status === 200 &&
      [...this.cookies.keys()].some((name) => name.endsWith("next-auth.session-token"))
    );
  }
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
