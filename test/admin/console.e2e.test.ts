import { existsSync, mkdirSync } from "node:fs";
import type { Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpServer } from "../../src/http/listener.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { startReceiver, type Receiver } from "../support/receiver.ts";

// The console (docs/console.md) in a real browser: Debian's Chromium (CHROMIUM_PATH, by default
// /usr/bin/chromium) driven by playwright-core against the server listening on a free port. With
// CONSOLE_SCREENSHOTS=1 the pages are also saved to docs/console/, at 1280x800 and at 375x667.

const chromiumPath = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const screenshots = process.env.CONSOLE_SCREENSHOTS === "1";
const screenshotFolder = fileURLToPath(new URL("../../docs/console/", import.meta.url));
const userSchema = "urn:ietf:params:scim:schemas:core:2.0:User";
const tenant = "acme";
const hookPath = "/console-hook";

let app: TestApp;
let listener: HttpServer;
let base: string;
let receiver: Receiver;
let browser: Browser;
let adminCredential: string;
// What the first test creates and the second shows at phone size.
const made = { logEntry: "", subscription: "" };

beforeAll(async () => {
  if (!existsSync(chromiumPath)) {
    throw new Error(`No Chromium at ${chromiumPath}: install it (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium or Chrome binary`);
  }
  app = await startTestApp();
  listener = createHttpServer(app.server.app);
  await new Promise<void>((resolve, reject) => {
    listener.once("error", reject);
    listener.listen(0, "127.0.0.1", () => resolve());
  });
  base = `http://127.0.0.1:${(listener.address() as AddressInfo).port}`;
  await app.server.delivery.start();
  receiver = await startReceiver();
  adminCredential = (await app.server.adminCredentials.issue()).credential;
  // Chromium's sandbox cannot start as root (a CI container); the test pages are our own.
  browser = await chromium.launch({ executablePath: chromiumPath, args: process.getuid?.() === 0 ? ["--no-sandbox"] : [] });
  if (screenshots) mkdirSync(screenshotFolder, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  listener?.closeAllConnections();
  await new Promise((resolve) => listener?.close(resolve));
  await receiver?.close();
  await app?.close();
});

// Everything the page said on its console as an error, uncaught exceptions, and Content-Security-
// Policy violations (reported by a listener the browser adds before any of the page's scripts).
interface Watched {
  readonly page: Page;
  readonly problems: string[];
  // Requests the browser reported as failed with their status, which the test provokes.
  readonly refused: string[];
}

async function openConsole(viewport: { width: number; height: number }): Promise<{ context: BrowserContext } & Watched> {
  const context = await browser.newContext({ viewport });
  await context.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (event) => {
      console.error(`CSP violation: ${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
    });
  });
  const page = await context.newPage();
  const problems: string[] = [];
  const refused: string[] = [];
  page.on("console", (message) => {
    if (message.type() !== "error") return;
    const failedLoad = /^Failed to load resource: the server responded with a status of (\d+)/.exec(message.text());
    if (failedLoad) refused.push(failedLoad[1] as string);
    else problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(`uncaught: ${error.message}`));
  return { context, page, problems, refused };
}

async function signIn(page: Page): Promise<void> {
  const response = await page.goto(`${base}/admin`);
  expect(response?.status()).toBe(200);
  expect(response?.headers()["content-security-policy"]).toContain("script-src 'self'");
  // Keyboard only: the field, the credential, Enter.
  await page.getByLabel("Admin credential").focus();
  await page.keyboard.type(adminCredential);
  await page.keyboard.press("Enter");
  await page.getByRole("heading", { name: "Tenants", level: 1 }).waitFor();
}

async function shot(page: Page, name: string): Promise<void> {
  if (screenshots) await page.screenshot({ path: `${screenshotFolder}${name}.png`, fullPage: true });
}

function scim(token: string, body: unknown, userAgent = "scim-console-test"): Promise<Response> {
  return fetch(`${base}/scim/v2/Users`, {
    method: "POST",
    headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/scim+json", "User-Agent": userAgent },
    body: JSON.stringify(body),
  });
}

// Clicks the page's Refresh button until `count` reads `expected` or more.
async function refreshUntil(page: Page, count: () => Promise<number>, expected: number): Promise<void> {
  await expect
    .poll(
      async () => {
        const now = await count();
        if (now < expected) await page.getByRole("button", { name: "Refresh" }).click();
        return now;
      },
      { timeout: 20_000, interval: 250 },
    )
    .toBeGreaterThanOrEqual(expected);
}

describe("the console in Chromium", () => {
  it("signs in, creates a tenant, issues a token, shows the log, a failure's detail, users, a subscription's deliveries and the activity", async () => {
    const { context, page, problems, refused } = await openConsole({ width: 1280, height: 800 });

    // A credential the server does not know is refused on the sign-in page, and not kept.
    await page.goto(`${base}/admin`);
    await page.getByLabel("Admin credential").fill("scimadm_unknown_unknown");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").filter({ hasText: "This credential is not accepted" }).waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    await signIn(page);
    expect(await page.evaluate(() => Object.keys(sessionStorage))).toEqual(["scim-console.credential"]);

    // A tenant, created from the tenants page.
    await page.getByLabel("Tenant name").fill(tenant);
    await page.getByRole("button", { name: "Create tenant" }).click();
    await page.waitForURL(`${base}/admin/tenants/${tenant}`);
    await page.getByRole("heading", { name: "Overview" }).waitFor();
    expect(await page.getByLabel("SCIM base URL", { exact: true }).inputValue()).toBe(`${base}/scim/v2`);
    expect(await page.getByLabel("SCIM connector base URL", { exact: true }).inputValue()).toBe(`${base}/scim/v2`);
    expect(await page.getByLabel("Unique identifier field for users", { exact: true }).inputValue()).toBe("userName");

    // A token, issued on the tenant's page and read from it.
    await page.getByRole("button", { name: "Issue a token" }).click();
    const token = await page.getByLabel("New token", { exact: true }).inputValue();
    expect(token).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    await page.getByRole("region", { name: "Tokens" }).getByText("active").waitFor();
    await page.locator("summary", { hasText: "Microsoft Entra ID" }).click();
    expect(await page.getByLabel("Tenant URL", { exact: true }).inputValue()).toBe(`${base}/scim/v2?aadOptscim062020`);
    expect(await page.getByLabel("Secret Token", { exact: true }).inputValue()).toBe(token);
    await shot(page, "tenant");

    // One failing and one succeeding SCIM request with that token.
    const failing = await scim(token, { schemas: [userSchema], name: { givenName: "Nobody" } }, "Okta SCIM Client 1.0.0");
    expect(failing.status).toBe(400);
    const failure = (await failing.json()) as { scimType: string; detail: string };
    expect(failure.detail).toEqual(expect.any(String));
    const succeeding = await scim(token, { schemas: [userSchema], userName: "ada@example.com", name: { givenName: "Ada", familyName: "Lovelace" } });
    expect(succeeding.status).toBe(201);

    // The provisioning log lists both, the failure marked.
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Provisioning log" }).click();
    await page.waitForURL(`${base}/admin/tenants/${tenant}/log`);
    const rows = page.locator("tbody tr.openable");
    await refreshUntil(page, () => rows.count(), 2);
    const failureRow = page.locator("tbody tr.openable.failed");
    expect(await failureRow.count()).toBe(1);
    expect(await failureRow.innerText()).toMatch(/Okta\s+POST\s+\/scim\/v2\/Users\s+400/);
    const successRow = page.locator("tbody tr.openable:not(.failed)");
    expect(await successRow.innerText()).toMatch(/other\s+POST\s+\/scim\/v2\/Users\s+201/);
    await shot(page, "log");

    // Its filters.
    await page.getByLabel("Status").selectOption("error");
    await page.waitForURL(/status=error/);
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain("400");
    await page.getByLabel("Status").selectOption("");
    await page.getByLabel("Client").selectOption("other");
    await page.waitForURL(/client=other/);
    await expect.poll(async () => (await rows.count()) === 1 && (await rows.first().innerText()).includes("201")).toBe(true);
    await page.getByLabel("Client").selectOption("");
    await expect.poll(() => rows.count()).toBe(2);

    // The failure's detail, opened with the keyboard.
    await failureRow.focus();
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/log\/\d+$/);
    made.logEntry = new URL(page.url()).pathname.split("/").at(-1) as string;
    const details = page.locator("dl.details");
    await details.waitFor();
    expect(await details.innerText()).toContain(failure.scimType);
    expect(await details.innerText()).toContain(failure.detail);
    expect(await page.getByRole("region", { name: "Request body" }).innerText()).toContain("Nobody");
    expect(await page.getByRole("region", { name: "Response body" }).innerText()).toContain(`"scimType": "${failure.scimType}"`);
    await shot(page, "log-entry");
    // Back to the list as it was left.
    await page.goBack();
    await expect.poll(() => rows.count()).toBe(2);

    // Users, with a SCIM filter, and a bad filter's error from the API.
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Users" }).click();
    await page.getByRole("cell", { name: "ada@example.com" }).waitFor();
    await page.getByLabel("SCIM filter").fill('userName sw "a"');
    await page.keyboard.press("Enter");
    await page.waitForURL(/filter=userName/);
    await page.getByText("1–1 of 1 users").waitFor();
    await shot(page, "users");
    await page.getByLabel("SCIM filter").fill('userName sw "zzz"');
    await page.keyboard.press("Enter");
    await page.getByText("No users match the filter.").waitFor();
    await page.getByLabel("SCIM filter").fill('userName zz "a"');
    await page.keyboard.press("Enter");
    const alert = page.getByRole("alert");
    await alert.waitFor();
    expect(await alert.innerText()).toContain("invalidFilter");
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Groups" }).click();
    await page.getByText("No groups.").waitFor();

    // A subscription to a local receiver, and a change delivered to it.
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Subscriptions" }).click();
    await page.getByLabel("Receiver URL").fill(receiver.url(hookPath));
    await page.getByRole("button", { name: "Add subscription" }).click();
    const secret = await page.getByLabel("Signing secret", { exact: true }).inputValue();
    expect(secret.length).toBeGreaterThan(16);
    receiver.expect(hookPath, secret);
    await page.getByRole("link", { name: receiver.url(hookPath) }).waitFor();
    await shot(page, "subscriptions");
    expect((await scim(token, { schemas: [userSchema], userName: "grace@example.com" })).status).toBe(201);
    app.server.delivery.wake();
    await receiver.waitFor(1, { path: hookPath });
    expect(receiver.refused).toEqual([]);

    await page.getByRole("link", { name: receiver.url(hookPath) }).click();
    await page.waitForURL(/\/subscriptions\/[^/]+$/);
    made.subscription = new URL(page.url()).pathname.split("/").at(-1) as string;
    const delivered = page.locator("tbody tr").filter({ hasText: "delivered" });
    await refreshUntil(page, () => delivered.count(), 1);
    expect(await delivered.first().innerText()).toContain("200");
    await page.getByLabel("Failed attempts only").check();
    await page.getByText("No failed attempt.").waitFor();
    await page.getByLabel("Failed attempts only").uncheck();
    await delivered.first().waitFor();
    await page.getByRole("button", { name: `Pause ${receiver.url(hookPath)}` }).click();
    await page.getByRole("button", { name: `Resume ${receiver.url(hookPath)}` }).click();
    await page.getByRole("button", { name: `Pause ${receiver.url(hookPath)}` }).waitFor();
    await page.getByRole("button", { name: "Replay" }).click();
    await page.getByText(/given up on (is|are) due again/).waitFor();
    await shot(page, "deliveries");

    // The activity chart: uPlot's canvas, and the totals beside it.
    await page.getByRole("navigation", { name: "Tenant" }).getByRole("link", { name: "Activity" }).click();
    await page.locator(".chart canvas").waitFor();
    const totals = page.getByRole("region", { name: "Totals per client" });
    await totals.getByRole("rowheader", { name: "Okta" }).waitFor();
    expect(await totals.innerText()).toMatch(/Okta\s+1\s+1/);
    await shot(page, "activity");

    await page.getByRole("link", { name: "Tenants" }).first().click();
    await page.getByRole("link", { name: tenant }).waitFor();
    await shot(page, "tenants");

    // Signing out forgets the credential; a refused credential brings back the sign-in page.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.getByLabel("Admin credential").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    await shot(page, "sign-in");
    await page.evaluate(() => sessionStorage.setItem("scim-console.credential", "scimadm_nobody_nothing"));
    await page.goto(`${base}/admin/tenants/${tenant}/log`);
    await page.getByText("The server refused the credential. Sign in again.").waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);

    expect(problems).toEqual([]);
    // The failures the test provoked: the bad filter (400) and the refused credentials (401).
    expect([...new Set(refused)].sort()).toEqual(["400", "401"]);
    await context.close();
  }, 120_000);

  const pages = [
    { name: "tenants", path: () => "", heading: "Tenants" },
    { name: "tenant", path: () => `/tenants/${tenant}`, heading: "Overview" },
    { name: "users", path: () => `/tenants/${tenant}/users`, heading: "Users" },
    { name: "groups", path: () => `/tenants/${tenant}/groups`, heading: "Groups" },
    { name: "log", path: () => `/tenants/${tenant}/log`, heading: "Provisioning log" },
    { name: "log-entry", path: () => `/tenants/${tenant}/log/${made.logEntry}`, heading: "POST /scim/v2/Users" },
    { name: "activity", path: () => `/tenants/${tenant}/activity`, heading: "Activity" },
    { name: "subscriptions", path: () => `/tenants/${tenant}/subscriptions`, heading: "Subscriptions" },
    { name: "deliveries", path: () => `/tenants/${tenant}/subscriptions/${made.subscription}`, heading: "Deliveries" },
  ];

  it("renders every page at phone size without the page scrolling sideways", async () => {
    expect(made.logEntry).not.toBe("");
    const { context, page, problems } = await openConsole({ width: 375, height: 667 });
    await signIn(page);
    for (const entry of pages) {
      await page.goto(`${base}/admin${entry.path()}`);
      await page.locator(".page-title", { hasText: entry.heading }).waitFor();
      await page.locator("table, .chart canvas, .copy-field, dl.details").first().waitFor();
      await expect.poll(() => page.locator(".loading").count()).toBe(0);
      expect(await page.evaluate(() => document.documentElement.scrollWidth), entry.name).toBeLessThanOrEqual(375);
      await shot(page, `${entry.name}-phone`);
    }
    expect(problems).toEqual([]);
    await context.close();
  }, 120_000);
});
