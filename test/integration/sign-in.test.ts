import { afterEach, describe, expect, it } from "vitest";
import { appendPeer } from "@/lib/client-address";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db";
import { DEMO_PASSWORD } from "@/prisma/seed";

type Authorize = (
  credentials: Record<string, string>,
  request: { headers: Record<string, string> },
) => Promise<{ email: string } | null>;
const provider = authOptions.providers[0] as unknown as { options: { authorize: Authorize } };
/** A sign-in as scripts/server.ts forwards it: from `socket`, with whatever the client claimed. */
const signIn = (email: string, password: string, socket = "203.0.113.7", claimed?: string) =>
  provider.options.authorize(
    { email, password },
    { headers: { "x-forwarded-for": appendPeer(claimed, socket) } },
  );

// The wait is 30 s from the failure; a slow bcrypt on a busy machine may take a second or two of it.
const WAIT_30S = /^Too many failed sign-ins from this address\. Try again in (2\d|30) seconds\.$/;

afterEach(async () => {
  await db.signInThrottle.deleteMany({});
});

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    expect(await signIn("reviewer2@example.com", DEMO_PASSWORD)).toMatchObject({
      email: "reviewer2@example.com",
    });
    expect(await signIn("reviewer2@example.com", "wrong")).toBeNull();
  });

  it("slows the address that guessed after five failures, says for how long, and never locks the owner out from elsewhere", async () => {
    const email = "admin@example.com";
    for (let i = 0; i < 5; i++)
      expect(await signIn(email, `guess-${i}`, "198.51.100.66")).toBeNull();
    // Even the right password waits, from the guessing address…
    await expect(signIn(email, DEMO_PASSWORD, "198.51.100.66")).rejects.toThrow(WAIT_30S);
    // …but the owner, from an address without failures, signs in at once.
    expect(await signIn(email, DEMO_PASSWORD, "203.0.113.50")).toMatchObject({ email });
    // Other accounts from the guessing address are unaffected.
    expect(await signIn("reviewer@example.com", DEMO_PASSWORD, "198.51.100.66")).toMatchObject({
      email: "reviewer@example.com",
    });
  });

  it("doubles the wait after every further failure", async () => {
    const email = "reviewer@example.com";
    const ip = "198.51.100.67";
    for (let i = 0; i < 5; i++) await signIn(email, "wrong", ip);
    const waitOver = () =>
      db.signInThrottle.updateMany({
        where: { email, ip },
        data: { blockedUntil: new Date(Date.now() - 1) },
      });
    const delay = async () => {
      const row = await db.signInThrottle.findUniqueOrThrow({ where: { email_ip: { email, ip } } });
      return row.blockedUntil.getTime() - row.lastFailureAt.getTime();
    };
    expect(await delay()).toBe(30_000);
    await waitOver();
    expect(await signIn(email, "wrong", ip)).toBeNull();
    expect(await delay()).toBe(60_000);
    await expect(signIn(email, DEMO_PASSWORD, ip)).rejects.toThrow(
      /Try again in (1 minute|[4-5]\d seconds)\.$/,
    );
    await waitOver();
    expect(await signIn(email, "wrong", ip)).toBeNull();
    expect(await delay()).toBe(120_000);
    await expect(signIn(email, DEMO_PASSWORD, ip)).rejects.toThrow(/Try again in 2 minutes\.$/);
    // Once the wait is over, the right password works and the streak is forgotten.
    await waitOver();
    expect(await signIn(email, DEMO_PASSWORD, ip)).toMatchObject({ email });
    expect(await db.signInThrottle.count({ where: { email, ip } })).toBe(0);
  });

  it("cannot be dodged by rotating X-Forwarded-For, nor aimed at someone else's address", async () => {
    const email = "user@example.com";
    for (let i = 0; i < 5; i++)
      expect(await signIn(email, "wrong", "198.51.100.68", `10.0.0.${i}`)).toBeNull();
    await expect(signIn(email, DEMO_PASSWORD, "198.51.100.68", "10.0.0.99")).rejects.toThrow(
      WAIT_30S,
    );
    // The victim whose address the attacker claimed is not throttled.
    expect(await signIn(email, DEMO_PASSWORD, "10.0.0.1")).toMatchObject({ email });
  });

  it("counts concurrent failures one after another: 15 wrong passwords at once, only 5 are checked", async () => {
    const outcomes = await Promise.allSettled(
      Array.from({ length: 15 }, () => signIn("user2@example.com", "wrong", "198.51.100.69")),
    );
    const checked = outcomes.filter((o) => o.status === "fulfilled");
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(checked).toHaveLength(5);
    expect(refused).toHaveLength(10);
    for (const r of refused) expect(String(r.reason)).toMatch(/Too many failed sign-ins/);
    expect(
      await db.signInThrottle.findUnique({
        where: { email_ip: { email: "user2@example.com", ip: "198.51.100.69" } },
      }),
    ).toMatchObject({ failures: 5 });
  });

  it("slows a client address that guesses across many accounts, and only that address", async () => {
    const ip = "198.51.100.9";
    const now = new Date();
    await db.signInThrottle.create({
      data: {
        email: "*",
        ip,
        failures: 50,
        lastFailureAt: now,
        blockedUntil: new Date(now.getTime() + 30_000),
      },
    });
    await expect(signIn("user@example.com", DEMO_PASSWORD, ip)).rejects.toThrow(WAIT_30S);
    expect(await signIn("user@example.com", DEMO_PASSWORD, "198.51.100.10")).toMatchObject({
      email: "user@example.com",
    });
  });

  it("counts a deactivated account's right password as a failure", async () => {
    const email = "user2@example.com";
    await db.user.update({ where: { email }, data: { active: false } });
    try {
      expect(await signIn(email, DEMO_PASSWORD, "198.51.100.70")).toBeNull();
      expect(
        await db.signInThrottle.findUnique({ where: { email_ip: { email, ip: "198.51.100.70" } } }),
      ).toMatchObject({ failures: 1 });
    } finally {
      await db.user.update({ where: { email }, data: { active: true } });
    }
  });
});
