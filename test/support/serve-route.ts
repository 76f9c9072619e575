// Serves a Next.js route handler over a real loopback HTTP server, as the app server would:
// the request streamed in as a web Request (aborted when the client goes away), the Response
// streamed out (SSE included), so a real HTTP client can talk to the handler in-process.
import { once } from "node:events";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { Readable } from "node:stream";

type Handler = (
  request: Request,
  context: { params: Promise<Record<string, string>> },
) => Promise<Response>;

export type ServedRoute = {
  url: string;
  /** Requests whose handler has not finished answering (its response still streaming). */
  inFlight: () => number;
  close: () => Promise<void>;
};

/** One route: `pattern` is its path with `[param]` segments (`/api/v1/mcp/[agent]`), `module` the route file's exports. */
export async function serveRoute(pattern: string, module: object): Promise<ServedRoute> {
  return serveRoutes({ [pattern]: module });
}

/** Several routes on one server; a path that matches none of the patterns is a 404. */
export async function serveRoutes(routes: Record<string, object>): Promise<ServedRoute> {
  const table = Object.entries(routes).map(([pattern, module]) => {
    const names: string[] = [];
    const matcher = new RegExp(
      `^${pattern.replace(/\[([^\]]+)\]/g, (_m, name: string) => (names.push(name), "([^/]+)"))}$`,
    );
    return { names, matcher, handlers: module as Partial<Record<string, Handler>> };
  });
  let inFlight = 0;
  const server = createServer((req, res) => {
    inFlight += 1;
    void answer(req, res).finally(() => (inFlight -= 1));
  });

  async function answer(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? "/", `http://${req.headers.host}`);
    const route = table
      .map((r) => ({ ...r, match: r.matcher.exec(url.pathname) }))
      .find((r) => r.match);
    const handler = route?.handlers[req.method ?? "GET"];
    if (!route || !handler) {
      res.writeHead(route ? 405 : 404).end();
      return;
    }
    const params = Object.fromEntries(
      route.names.map((name, i) => [name, decodeURIComponent(route.match![i + 1]!)]),
    );
    const aborted = new AbortController();
    res.on("close", () => aborted.abort());
    const headers = new Headers();
    for (const [key, value] of Object.entries(req.headers))
      if (typeof value === "string") headers.set(key, value);
    const hasBody = req.method !== "GET" && req.method !== "HEAD";
    const request = new Request(url, {
      method: req.method,
      headers,
      signal: aborted.signal,
      ...(hasBody && { body: Readable.toWeb(req) as ReadableStream<Uint8Array>, duplex: "half" }),
    } as RequestInit);
    try {
      const response = await handler(request, { params: Promise.resolve(params) });
      res.writeHead(response.status, Object.fromEntries(response.headers.entries()));
      if (!response.body) return void res.end();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
        res.write(chunk);
      res.end();
    } catch {
      if (!res.headersSent) res.writeHead(500);
      res.end();
    }
  }

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    inFlight: () => inFlight,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
