import "server-only";
import { hkdf, randomUUID } from "node:crypto";
import { EncryptJWT, jwtDecrypt } from "jose";
import type { JWT, JWTDecodeParams, JWTEncodeParams } from "next-auth/jwt";

// next-auth's own session-token format (next-auth/jwt's encode and decode in 4.24: a JWE, "dir"
// with A256GCM, under a key derived from the secret with HKDF), with the key derived once per
// secret instead of on every decode and on the re-encode next-auth does per request: under load
// that derivation was 3% of the web process's CPU (docs/benchmarks.md). Tokens issued by either
// stay valid with the other (lib/auth/session-token.test.ts), so no session is lost on upgrade.

const DEFAULT_MAX_AGE_SECONDS = 30 * 24 * 60 * 60;
const CLOCK_TOLERANCE_SECONDS = 15;
const derivedKeys = new Map<string, Promise<Uint8Array>>();

function encryptionKey(secret: string | Buffer, salt: string): Promise<Uint8Array> {
  const cacheKey = `${typeof secret === "string" ? secret : secret.toString("hex")}\u0000${salt}`;
  let key = derivedKeys.get(cacheKey);
  if (!key) {
    const info = `NextAuth.js Generated Encryption Key${salt ? ` (${salt})` : ""}`;
    key = new Promise<Uint8Array>((resolve, reject) =>
      hkdf("sha256", secret, salt, info, 32, (error, derived) =>
        error ? reject(error) : resolve(new Uint8Array(derived)),
      ),
    );
    // A failed derivation is not remembered: the next request tries again.
    key.catch(() => derivedKeys.delete(cacheKey));
    derivedKeys.set(cacheKey, key);
  }
  return key;
}

export async function encodeSessionToken({
  token = {},
  secret,
  maxAge = DEFAULT_MAX_AGE_SECONDS,
  salt = "",
}: JWTEncodeParams): Promise<string> {
  return new EncryptJWT(token)
    .setProtectedHeader({ alg: "dir", enc: "A256GCM" })
    .setIssuedAt()
    .setExpirationTime(Math.floor(Date.now() / 1000) + maxAge)
    .setJti(randomUUID())
    .encrypt(await encryptionKey(secret, salt));
}

export async function decodeSessionToken({
  token,
  secret,
  salt = "",
}: JWTDecodeParams): Promise<JWT | null> {
  if (!token) return null;
  const { payload } = await jwtDecrypt(token, await encryptionKey(secret, salt), {
    clockTolerance: CLOCK_TOLERANCE_SECONDS,
  });
  return payload as JWT;
}
