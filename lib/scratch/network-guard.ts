// The network guard: scratch runs (evals, replay, re-runs, shadow) reach no system outside the
// database they work in, whatever the environment says. It is the second line behind the agents'
// sandboxes (lib/scratch/tools.ts never hands a scratch run what createDeps builds): if a sandbox,
// a tool or a library still tries, the connection is refused and the refusal recorded.
//
// A scope is active for the code of one scratch tool call (AsyncLocalStorage), or for a whole
// process (the eval worker). Inside it a connection may go only to the database (DATABASE_URL),
// to the endpoints the scope allows (a sandbox's `reaches`; the model API in the eval process), to
// loopback ports of servers started inside the scope itself, and over Unix sockets. Checked where
// every TCP connection starts (net.Socket#connect, which http, https, tls, fetch and pg all use)
// and at fetch and http(s).request, where a pooled keep-alive connection would skip the first.
import { AsyncLocalStorage } from "node:async_hooks";
import http from "node:http";
import https from "node:https";
import net from "node:net";

export type Endpoint = { host: string; port: number };

export type ScratchScope = {
  /** Says whose connection was refused, e.g. "an eval of subscriptions". */
  label: string;
  /** Endpoints this scope may reach besides the database. */
  allowed: Endpoint[];
  /** Loopback ports of servers started inside this scope. */
  listening: Set<number>;
  /** Every refused destination ("host:port"), for the trace. */
  refused: string[];
};

export class ScratchNetworkRefused extends Error {
  readonly code = "ERR_SCRATCH_NETWORK";
  constructor(
    readonly destination: string,
    label: string,
  ) {
    super(
      `Refused: ${label} may not reach ${destination}. Scratch runs reach no real system; an agent's sandbox says what they may reach instead.`,
    );
    this.name = "ScratchNetworkRefused";
  }
}

// One guard per process, however many times bundlers load this module.
type Shared = {
  storage: AsyncLocalStorage<ScratchScope>;
  processScope: ScratchScope | null;
  installed: boolean;
};
const shared = ((globalThis as { countersignNetworkGuard?: Shared }).countersignNetworkGuard ??= {
  storage: new AsyncLocalStorage<ScratchScope>(),
  processScope: null,
  installed: false,
});

export function newScope(label: string, allowed: Endpoint[] = []): ScratchScope {
  return { label, allowed, listening: new Set(), refused: [] };
}

/** Runs `work` with outbound connections limited to what `scope` allows. */
export function withinScratch<T>(scope: ScratchScope, work: () => T): T {
  installNetworkGuard();
  return shared.storage.run(scope, work);
}

/** Limits every outbound connection of this process (the eval worker) for the rest of its life. */
export function guardWholeProcess(scope: ScratchScope): void {
  installNetworkGuard();
  shared.processScope = scope;
}

const activeScope = () => shared.storage.getStore() ?? shared.processScope;

/** The refusal behind an error, however deeply a client library wrapped it (fetch's `cause`, a ToolError's). */
export function refusalIn(error: unknown): ScratchNetworkRefused | null {
  for (let e = error, depth = 0; e && depth < 8; e = (e as { cause?: unknown }).cause, depth++) {
    if (
      e instanceof ScratchNetworkRefused ||
      (e as { code?: unknown }).code === "ERR_SCRATCH_NETWORK"
    )
      return e as ScratchNetworkRefused;
  }
  return null;
}

export function endpointOf(url: string): Endpoint | null {
  try {
    const u = new URL(url);
    const port = Number(
      u.port ||
        (u.protocol === "https:"
          ? 443
          : u.protocol === "http:"
            ? 80
            : u.protocol.startsWith("postgres")
              ? 5432
              : 0),
    );
    return { host: bare(u.hostname), port };
  } catch {
    return null;
  }
}

const bare = (host: string) => host.replace(/^\[|\]$/g, "").toLowerCase();
const isLoopback = (host: string) =>
  host === "localhost" || host === "::1" || /^127\./.test(host) || /^::ffff:127\./.test(host);
const same = (a: Endpoint, b: Endpoint) =>
  a.port === b.port && (a.host === b.host || (isLoopback(a.host) && isLoopback(b.host)));

/** Null when the scope may reach `target`; else the refusal, recorded on the scope. */
function check(
  scope: ScratchScope,
  target: { host?: string; port?: number; path?: string },
): ScratchNetworkRefused | null {
  if (target.path) return null;
  const to: Endpoint = { host: bare(target.host ?? "localhost"), port: Number(target.port) };
  const database = process.env.DATABASE_URL ? endpointOf(process.env.DATABASE_URL) : null;
  if (database && same(database, to)) return null;
  if (scope.allowed.some((e) => same(e, to))) return null;
  if (isLoopback(to.host) && scope.listening.has(to.port)) return null;
  const destination = `${to.host}:${to.port}`;
  scope.refused.push(destination);
  return new ScratchNetworkRefused(destination, scope.label);
}

/** Where net.Socket#connect is asked to go, in each of its call shapes. */
function connectTarget(args: unknown[]): { host?: string; port?: number; path?: string } {
  let first = args[0];
  // net.connect() hands the socket its normalized arguments as an array.
  if (Array.isArray(first)) first = first[0];
  if (typeof first === "number" || (typeof first === "string" && /^\d+$/.test(first)))
    return { port: Number(first), host: typeof args[1] === "string" ? args[1] : undefined };
  if (typeof first === "string") return { path: first };
  if (first && typeof first === "object") {
    const o = first as { host?: string; port?: number | string; path?: string };
    return o.path ? { path: o.path } : { host: o.host, port: Number(o.port) };
  }
  return {};
}

function requestTarget(args: unknown[]): { host?: string; port?: number; path?: string } | null {
  const [first, second] = args;
  const fromUrl = (u: URL) => ({
    host: u.hostname,
    port: Number(u.port || (u.protocol === "https:" ? 443 : 80)),
  });
  if (typeof first === "string") return fromUrl(new URL(first));
  if (first instanceof URL) return fromUrl(first);
  const o = (first ?? second) as
    | {
        host?: string;
        hostname?: string;
        port?: number | string;
        socketPath?: string;
        protocol?: string;
      }
    | undefined;
  if (!o) return null;
  if (o.socketPath) return { path: o.socketPath };
  return {
    host: o.hostname ?? o.host ?? "localhost",
    port: Number(o.port || (o.protocol === "https:" ? 443 : 80)),
  };
}

function installNetworkGuard() {
  if (shared.installed) return;
  shared.installed = true;

  const connect = net.Socket.prototype.connect;
  net.Socket.prototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const scope = activeScope();
    const refused = scope && check(scope, connectTarget(args));
    if (refused) {
      this.destroy(refused);
      return this;
    }
    return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
  } as typeof connect;

  const listen = net.Server.prototype.listen;
  net.Server.prototype.listen = function trackedListen(this: net.Server, ...args: unknown[]) {
    const scope = activeScope();
    if (scope) {
      this.once("listening", () => {
        const address = this.address();
        if (address && typeof address === "object") scope.listening.add(address.port);
      });
    }
    return (listen as (...a: unknown[]) => net.Server).apply(this, args);
  } as typeof listen;

  const fetch = globalThis.fetch;
  globalThis.fetch = function guardedFetch(input: string | URL | Request, init?: RequestInit) {
    const scope = activeScope();
    if (scope) {
      const url = new URL(typeof input === "string" || input instanceof URL ? input : input.url);
      const refused = check(scope, {
        host: url.hostname,
        port: Number(url.port || (url.protocol === "https:" ? 443 : 80)),
      });
      if (refused) return Promise.reject(new TypeError("fetch failed", { cause: refused }));
    }
    return fetch(input, init);
  } as typeof globalThis.fetch;

  for (const client of [http, https]) {
    for (const name of ["request", "get"] as const) {
      const original = client[name] as (...a: unknown[]) => http.ClientRequest;
      (client as unknown as Record<string, unknown>)[name] = function guardedRequest(
        ...args: unknown[]
      ) {
        const scope = activeScope();
        const target = scope ? requestTarget(args) : null;
        const refused = scope && target && check(scope, target);
        const request = original.apply(client, args);
        // Destroyed before the caller can write: a pooled keep-alive socket carries nothing.
        if (refused) request.destroy(refused);
        return request;
      };
    }
  }
}
