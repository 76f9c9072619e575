import { BlockList, isIP } from "node:net";

// Which address a request came from, for throttling. No server-only import: the server
// (scripts/server.ts) and lib/env.ts share the parsing.
//
// Next.js gives route handlers no socket, and `next start` keeps a client's own
// `X-Forwarded-For` untouched (it only fills the header in when absent), so a header alone
// says nothing trustworthy. scripts/server.ts therefore appends the socket's address to
// `X-Forwarded-For` on every request, as a reverse proxy does: the right-most hop is always the
// peer that really connected. Hops to its left are believed only while the hop to their right
// is a configured trusted proxy.

export const FORWARDED_FOR = "x-forwarded-for";

/** `::ffff:203.0.113.7` (IPv4 on a dual-stack socket) is `203.0.113.7`. */
export function normaliseAddress(raw: string): string {
  const trimmed = raw.trim().replace(/^\[(.*)\]$/, "$1");
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(trimmed)?.[1];
  return (mapped ?? trimmed).toLowerCase();
}

export type TrustedProxies = { list: BlockList; entries: string[] };

/**
 * `COUNTERSIGN_TRUSTED_PROXIES`: comma-separated IP addresses and CIDR ranges
 * (`10.0.0.0/8, 2001:db8::/32, 192.0.2.1`). Returns the problems when any entry is not one.
 */
export function parseTrustedProxies(
  value: string,
): { ok: true; proxies: TrustedProxies } | { ok: false; problems: string[] } {
  const list = new BlockList();
  const entries: string[] = [];
  const problems: string[] = [];
  for (const entry of value
    .split(",")
    .map((e) => e.trim())
    .filter(Boolean)) {
    const [address = "", prefix, extra] = entry.split("/");
    const family = isIP(normaliseAddress(address));
    const bits = prefix === undefined ? null : /^\d{1,3}$/.test(prefix) ? Number(prefix) : NaN;
    if (
      !family ||
      extra !== undefined ||
      Number.isNaN(bits) ||
      (bits !== null && bits > (family === 4 ? 32 : 128))
    ) {
      problems.push(
        `"${entry}" is not an IP address or CIDR range (e.g. 10.0.0.0/8 or 2001:db8::/32)`,
      );
      continue;
    }
    const type = family === 4 ? "ipv4" : "ipv6";
    if (bits === null) list.addAddress(normaliseAddress(address), type);
    else list.addSubnet(normaliseAddress(address), bits, type);
    entries.push(entry);
  }
  return problems.length ? { ok: false, problems } : { ok: true, proxies: { list, entries } };
}

function isTrusted(address: string, trusted: TrustedProxies | null): boolean {
  if (!trusted) return false;
  const family = isIP(address);
  return family !== 0 && trusted.list.check(address, family === 4 ? "ipv4" : "ipv6");
}

// Keys are stored; a hop that is not an address is kept, bounded, so it still counts.
const MAX_KEY_LENGTH = 64;

/**
 * The right-most untrusted hop of `X-Forwarded-For` (the socket's address, appended by
 * scripts/server.ts, when no proxy is trusted). All hops trusted: the left-most one.
 */
export function clientAddress(
  forwardedFor: string | null | undefined,
  trusted: TrustedProxies | null,
): string {
  const hops = (forwardedFor ?? "").split(",").map(normaliseAddress).filter(Boolean);
  if (hops.length === 0) return "unknown";
  let index = hops.length - 1;
  while (index > 0 && isTrusted(hops[index]!, trusted)) index -= 1;
  return hops[index]!.slice(0, MAX_KEY_LENGTH);
}

/** What scripts/server.ts sets: the header as received, with the socket's address appended. */
export function appendPeer(
  forwardedFor: string | string[] | undefined,
  peer: string | undefined,
): string {
  const received = Array.isArray(forwardedFor) ? forwardedFor.join(", ") : (forwardedFor ?? "");
  const self = normaliseAddress(peer ?? "") || "unknown";
  return received.trim() ? `${received}, ${self}` : self;
}
