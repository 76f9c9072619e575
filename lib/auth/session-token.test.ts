import { decode, encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { decodeSessionToken, encodeSessionToken } from "./session-token";

const secret = "session-token-test-secret-0123456789abcdef";
const claims = {
  uid: "7f0c1a52-3c1e-4a8e-9a55-0d1f8e2b6c11",
  sv: 2,
  sid: "0b5e7f43-96a2-4c1d-8f0e-5a6b7c8d9e0f",
};

describe("session tokens", () => {
  it("read a session issued by next-auth's own encoder, claims intact", async () => {
    const issued = await encode({ token: claims, secret, maxAge: 3600 });
    expect(await decodeSessionToken({ token: issued, secret })).toMatchObject(claims);
  });

  it("issue tokens next-auth's own decoder reads, with the session's expiry", async () => {
    const ours = await encodeSessionToken({ token: claims, secret, maxAge: 3600 });
    const read = await decode({ token: ours, secret });
    expect(read).toMatchObject(claims);
    const nowSeconds = Math.floor(Date.now() / 1000);
    expect(Number(read?.exp)).toBeGreaterThanOrEqual(nowSeconds + 3590);
    expect(Number(read?.exp)).toBeLessThanOrEqual(nowSeconds + 3600);
    expect(typeof read?.jti).toBe("string");
  });

  it("keep the salt apart: a token under another salt or secret is refused", async () => {
    const salted = await encode({ token: claims, secret, salt: "other", maxAge: 3600 });
    expect(await decodeSessionToken({ token: salted, secret, salt: "other" })).toMatchObject(
      claims,
    );
    await expect(decodeSessionToken({ token: salted, secret })).rejects.toThrow();
    const issued = await encodeSessionToken({ token: claims, secret, maxAge: 3600 });
    await expect(
      decodeSessionToken({ token: issued, secret: `${secret}-rotated` }),
    ).rejects.toThrow();
  });

  it("refuse an expired token, and read none from an empty cookie", async () => {
    const expired = await encodeSessionToken({ token: claims, secret, maxAge: -60 });
    await expect(decodeSessionToken({ token: expired, secret })).rejects.toThrow();
    expect(await decodeSessionToken({ token: undefined, secret })).toBeNull();
  });
});
