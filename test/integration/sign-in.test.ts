import { describe, expect, it } from "vitest";
import { authOptions } from "@/lib/auth/options";
import { db } from "@/lib/db";
import { DEMO_PASSWORD } from "@/prisma/seed";

type Authorize = (credentials: Record<string, string>, request: { headers: Record<string, string> }) => Promise<{ email: string } | null>;
const provider = authOptions.providers[0] as unknown as { options: { authorize: Authorize } };
const signIn = (email: string, password: string, ip = "203.0.113.7") => provider.options.authorize({ email, password }, { headers: { "x-forwarded-for": ip } });

describe("sign-in", () => {
  it("accepts the right password and refuses a wrong one", async () => {
    expect(await signIn("reviewer2@example.com", DEMO_PASSWORD)).toMatchObject({ email: "reviewer2@example.com" });
    expect(await signIn("reviewer2@example.com", "wrong")).toBeNull();
    await db.signInFailure.deleteMany({ where: { email: "reviewer2@example.com" } });
  });

  it("locks an account after five failures in a row, even for the right password, and says for how long", async () => {
    const email = "admin@example.com";
    for (let i = 0; i < 5; i++) expect(await signIn(email, `guess-${i}`)).toBeNull();
    await expect(signIn(email, DEMO_PASSWORD)).rejects.toThrow(/^Too many failed sign-ins\. Try again in 15 minutes\.$/);
    // Other accounts are unaffected.
    expect(await signIn("reviewer@example.com", DEMO_PASSWORD)).toMatchObject({ email: "reviewer@example.com" });
    await db.signInFailure.deleteMany({ where: { email } });
    expect(await signIn(email, DEMO_PASSWORD)).toMatchObject({ email });
  });

  it("locks a client address that guesses across many accounts", async () => {
    const ip = "198.51.100.9";
    await db.signInFailure.createMany({ data: Array.from({ length: 50 }, (_, i) => ({ email: `nobody${i}@example.com`, ip })) });
    await expect(signIn("user@example.com", DEMO_PASSWORD, ip)).rejects.toThrow(/Too many failed sign-ins/);
    expect(await signIn("user@example.com", DEMO_PASSWORD, "198.51.100.10")).toMatchObject({ email: "user@example.com" });
    await db.signInFailure.deleteMany({ where: { ip } });
  });
});
