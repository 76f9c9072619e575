// Serves the app (what `next start` / `next dev` would) on a Node HTTP server of our own, for
// one reason: route handlers in Next.js never see the socket, and `next start` passes a client's
// own X-Forwarded-For through untouched. Here every request's X-Forwarded-For gets the socket's
// address appended, as a reverse proxy does, so the right-most hop is always the real peer and
// sign-in throttling (lib/client-address.ts) cannot be dodged by forging the header.
// Started by scripts/demo.ts; usage: tsx scripts/server.ts [--dev] <port>
import { createServer } from "node:http";
import next from "next";
import { appendPeer, FORWARDED_FOR } from "../lib/client-address";

const dev = process.argv.includes("--dev");
const port = Number(process.argv.filter((a) => /^\d+$/.test(a)).at(-1) ?? process.env.PORT ?? 3000);

const app = next({ dev, port, dir: process.cwd() });
const handle = app.getRequestHandler();
await app.prepare();
const upgrade = app.getUpgradeHandler();

const server = createServer((request, response) => {
  request.headers[FORWARDED_FOR] = appendPeer(
    request.headers[FORWARDED_FOR],
    request.socket.remoteAddress,
  );
  void handle(request, response);
});
// Dev mode's hot reload speaks WebSocket.
server.on("upgrade", (request, socket, head) => void upgrade(request, socket, head));
server.listen(port, () =>
  console.log(`▲ Countersign ${dev ? "(dev) " : ""}listening on port ${port}`),
);

const stop = () => server.close(() => void app.close().finally(() => process.exit(0)));
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
