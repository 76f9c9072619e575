// A handler (a demo service's, or a fake of your own) served over real HTTP on loopback, recording
// every request it receives: point the agent's config at `url` and check what reached the service.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export type Received = {
  method: string;
  path: string;
  idempotencyKey: string | null;
  body: string;
};

export async function serveOverHttp(
  handle: (request: Request, path: string[]) => Promise<Response>,
  prefix = "/service",
) {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", async () => {
      const url = new URL(req.url ?? "/", "http://loopback.test");
      const body = Buffer.concat(chunks);
      received.push({
        method: req.method ?? "",
        path: url.pathname,
        idempotencyKey: (req.headers["idempotency-key"] as string) ?? null,
        body: body.toString("utf8"),
      });
      const request = new Request(url, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? body : undefined,
      });
      const response = await handle(request, url.pathname.slice(prefix.length + 1).split("/"));
      res
        .writeHead(response.status, Object.fromEntries(response.headers))
        .end(await response.text());
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    /** The base URL to configure: requests to `${url}/v1/…` reach the handler as path ["v1", …]. */
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}${prefix}`,
    received,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
