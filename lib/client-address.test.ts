import { describe, expect, it } from "vitest";
import { appendPeer, clientAddress, parseTrustedProxies } from "@/lib/client-address";

const trusted = (value: string) => {
  const parsed = parseTrustedProxies(value);
  if (!parsed.ok) throw new Error(parsed.problems.join("; "));
  return parsed.proxies;
};

describe("the client address for throttling", () => {
  it("is the socket's address (the right-most hop) when no proxy is trusted, whatever the client claims", () => {
    // What scripts/server.ts forwards when a client sends its own X-Forwarded-For.
    const header = appendPeer("198.51.100.1, 10.0.0.1", "::ffff:203.0.113.7");
    expect(header).toBe("198.51.100.1, 10.0.0.1, 203.0.113.7");
    expect(clientAddress(header, null)).toBe("203.0.113.7");
    expect(clientAddress(appendPeer(undefined, "::1"), null)).toBe("::1");
  });

  it("skips trusted proxies from the right and stops at the first untrusted hop", () => {
    const proxies = trusted("10.0.0.0/8, 192.0.2.1, 2001:db8::/32");
    // A client forging hops to the left of what the proxy saw gains nothing.
    expect(clientAddress("6.6.6.6, 203.0.113.7, 10.1.2.3", proxies)).toBe("203.0.113.7");
    expect(clientAddress("203.0.113.9, 2001:db8::5, 192.0.2.1", proxies)).toBe("203.0.113.9");
    // A request straight from an untrusted socket: its own claims are ignored.
    expect(clientAddress("10.9.9.9, 198.51.100.4", proxies)).toBe("198.51.100.4");
    expect(clientAddress("10.0.0.1, 10.0.0.2", proxies)).toBe("10.0.0.1");
    expect(clientAddress("", proxies)).toBe("unknown");
  });

  it("refuses a trusted-proxy list with anything but addresses and CIDR ranges, naming the entry", () => {
    expect(parseTrustedProxies("10.0.0.0/8,::1,fd00::/8").ok).toBe(true);
    expect(parseTrustedProxies("")).toMatchObject({ ok: true });
    const bad = parseTrustedProxies("10.0.0.0/33, proxy.internal, 10.0.0.1/8/9, 1.2.3.4/x");
    expect(bad.ok).toBe(false);
    expect(!bad.ok && bad.problems).toHaveLength(4);
    expect(!bad.ok && bad.problems[1]).toMatch(
      /"proxy\.internal" is not an IP address or CIDR range/,
    );
  });
});
