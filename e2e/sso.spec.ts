import { spawn, type ChildProcess } from "node:child_process";
import { expect, test } from "@playwright/test";
import { SSO_CLIENT, startOidcProvider } from "../test/support/oidc-provider";

// Single sign-on with a real OpenID Connect provider started here (oidc-provider), against an
// app of its own (port, data directory, database) with password sign-in turned off: a reviewer
// of the company's directory lands in the inbox with the role its group maps to and cannot open
// /admin; an admin's group gives the admin console; a person whose groups map to no role is
// refused with words; and passwords are refused, the demo accounts' included.

const PORT = Number(process.env.SSO_PORT ?? 3160);
const PG_PORT = Number(process.env.SSO_PG_PORT ?? 25445);
const OIDC_PORT = Number(process.env.SSO_OIDC_PORT ?? 3192);
const BASE_URL = `http://localhost:${PORT}`;

const ACCOUNTS = {
  "riley-sso": {
    email: "riley.sso@example.com",
    name: "Riley Sso",
    groups: ["staff", "cs-reviewers"],
  },
  "ava-sso": { email: "ava.sso@example.com", name: "Ava Sso", groups: ["cs-admins"] },
  "mallory-sso": { email: "mallory.sso@example.com", name: "Mallory Sso", groups: ["marketing"] },
};

let app: ChildProcess | undefined;
let oidc: Awaited<ReturnType<typeof startOidcProvider>> | undefined;
let output = "";

test.describe.configure({ mode: "serial" });
test.setTimeout(300_000);

test.beforeAll(async () => {
  oidc = await startOidcProvider(OIDC_PORT, `${BASE_URL}/api/auth/callback/oidc`, ACCOUNTS);
  app = spawn("tsx", ["scripts/demo.ts"], {
    stdio: ["ignore", "pipe", "pipe"],
    env: {
      ...process.env,
      PORT: String(PORT),
      NEXTAUTH_URL: BASE_URL,
      COUNTERSIGN_DATA_DIR: ".data/sso",
      EMBEDDED_PG_PORT: String(PG_PORT),
      COUNTERSIGN_DB_NAME: `sso_${Date.now()}`,
      COUNTERSIGN_DEMO_HISTORY: "0",
      OIDC_ISSUER: oidc.issuer,
      OIDC_CLIENT_ID: SSO_CLIENT.id,
      OIDC_CLIENT_SECRET: SSO_CLIENT.secret,
      OIDC_NAME: "Example Corp",
      OIDC_ROLE_CLAIM: "groups",
      OIDC_ROLE_MAP: "cs-admins=admin,cs-reviewers=reviewer",
      COUNTERSIGN_PASSWORD_SIGNIN: "0",
    },
  });
  const keep = (chunk: Buffer) => (output = (output + chunk.toString("utf8")).slice(-20_000));
  app.stdout!.on("data", keep);
  app.stderr!.on("data", keep);
  const deadline = Date.now() + 240_000;
  for (;;) {
    if (
      await fetch(`${BASE_URL}/api/health`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    if (app.exitCode !== null || Date.now() > deadline)
      throw new Error(`the app did not start:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
});

test.afterAll(async () => {
  if (app && app.exitCode === null) {
    const exited = new Promise((resolve) => app!.once("exit", resolve));
    app.kill("SIGTERM");
    await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 20_000))]);
  }
  await oidc?.close();
});

async function signInWithSso(page: import("@playwright/test").Page, login: string) {
  await page.goto(`${BASE_URL}/signin`);
  await page.getByRole("button", { name: "Sign in with Example Corp" }).click();
  await page.getByPlaceholder("Enter any login").fill(login);
  await page.getByPlaceholder("and password").fill("anything");
  await page.getByRole("button", { name: "Sign-in" }).click();
  await page.getByRole("button", { name: "Continue" }).click();
}

test("a reviewer of the company's directory signs in through the provider and gets the reviewer's console, not /admin", async ({
  page,
}) => {
  await signInWithSso(page, "riley-sso");
  // The inbox's address names the item in view when one waits.
  await expect(page).toHaveURL(new RegExp(`^${BASE_URL}/inbox(\\?item=[0-9a-f-]{36})?$`));
  await expect(page.getByRole("button", { name: "Sign out" })).toBeVisible();
  await page.goto(`${BASE_URL}/admin`);
  await expect(page.getByRole("heading", { name: "Access denied" })).toBeVisible();
  await expect(page.getByRole("heading", { name: "Administration" })).toHaveCount(0);
});

test("an admin's group gives the admin console", async ({ page }) => {
  await signInWithSso(page, "ava-sso");
  await expect(page).toHaveURL(`${BASE_URL}/admin`);
  await expect(page.getByRole("heading", { name: "Administration" })).toBeVisible();
});

test("someone whose groups map to no role is refused, in words", async ({ page }) => {
  await signInWithSso(page, "mallory-sso");
  await expect(page).toHaveURL(/\/signin\?error=AccessDenied/);
  await expect(page.getByText(/Your company account has no role in Countersign/)).toBeVisible();
});

test("with password sign-in off there is no password form, and a password is refused", async ({
  page,
}) => {
  await page.goto(`${BASE_URL}/signin`);
  await expect(page.getByLabel("Password")).toHaveCount(0);
  const { csrfToken } = (await (await page.request.get(`${BASE_URL}/api/auth/csrf`)).json()) as {
    csrfToken: string;
  };
  await page.request.post(`${BASE_URL}/api/auth/callback/credentials`, {
    form: { csrfToken, email: "admin@example.com", password: "countersign-demo", json: "true" },
    maxRedirects: 0,
  });
  const session = (await (await page.request.get(`${BASE_URL}/api/auth/session`)).json()) as Record<
    string,
    unknown
  >;
  expect(session).toEqual({});
  await page.goto(`${BASE_URL}/admin`);
  await expect(page).toHaveURL(/\/signin/);
});
