// A real OpenID Connect provider for the single sign-on tests (oidc-provider, the certified
// library), on loopback, with its developer login form: type an account's login (any password),
// continue, and it signs in with that account's claims. Not a mock: next-auth discovers it,
// redirects to it, exchanges the code and verifies the ID token as it would with a company's.
import type { Server } from "node:http";
import Provider from "oidc-provider";

export type TestAccount = { email: string; name: string; groups: string[] };

export const SSO_CLIENT = { id: "countersign", secret: "countersign-sso-test-secret" };

export async function startOidcProvider(
  port: number,
  redirectUri: string,
  accounts: Record<string, TestAccount>,
) {
  const issuer = `http://localhost:${port}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: SSO_CLIENT.id,
        client_secret: SSO_CLIENT.secret,
        redirect_uris: [redirectUri],
        grant_types: ["authorization_code"],
        response_types: ["code"],
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name", "groups"] },
    // The claims go in the ID token itself, which is what next-auth reads.
    conformIdTokenClaims: false,
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["oidc-test-cookie-key-0001"] },
    async findAccount(_ctx, id) {
      const account = accounts[id];
      if (!account) return undefined;
      return {
        accountId: id,
        claims: async () => ({
          sub: id,
          email: account.email,
          email_verified: true,
          name: account.name,
          groups: account.groups,
        }),
      };
    },
  });
  const server: Server = provider.listen(port);
  await new Promise<void>((resolve) => server.once("listening", () => resolve()));
  return {
    issuer,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
