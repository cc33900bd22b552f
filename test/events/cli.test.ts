import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readConfig } from "../../src/config.ts";
import { buildServer, type Server } from "../../src/server.ts";
import { lastEventSequence } from "../../src/store/events.ts";
import { createTestDatabase, type TestDatabase } from "../support/databases.ts";
import { appendEvents, changeEvent } from "../support/events.ts";
import { buildBundle, runBundledTool, type ToolRun } from "../support/process.ts";

// `npm run events` (src/cli/events.ts) from the bundle: subscribe prints the id and the secret,
// and nothing else ever shows the secret; listing, pausing, resuming and removing; what it refuses,
// with one line and a non-zero exit, storing nothing. (Replay and deliveries: retries.test.ts.)

let database: TestDatabase;
let server: Server;
let bundle: string;

const cli = (...args: string[]): Promise<ToolRun> => runBundledTool(bundle, "events", args, database.url);

beforeAll(async () => {
  database = await createTestDatabase();
  [server, bundle] = await Promise.all([buildServer(readConfig({ DATABASE_URL: database.url }), pino({ level: "silent" })), buildBundle("events-cli")]);
  const tenant = await server.tenants.ensure("cli");
  await appendEvents(server.database.sql, tenant.id, [changeEvent("user.created", "before")]);
}, 120_000);

afterAll(async () => {
  await server?.close();
  await database?.drop();
});

describe("npm run events", { timeout: 60_000 }, () => {
  it("subscribe prints the id and secret once; the subscription starts after the tenant's last event; listings never show the secret", async () => {
    const created = await cli("subscribe", "--tenant", "cli", "--url", "https://hooks.example.com/scim?team=7", "--types", "user.created,group.member_added", "--retry-for", "90m");
    expect(created.code, created.stderr).toBe(0);
    const printed = JSON.parse(created.stdout) as { id: string; secret: string };
    expect(Object.keys(printed)).toStrictEqual(["id", "secret"]);
    expect(printed.secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.stderr).not.toContain(printed.secret);

    const tenant = (await server.tenants.find("cli"))!;
    const stored = await server.subscriptions.get(printed.id);
    expect(stored).toMatchObject({
      tenantName: "cli",
      format: "webhook",
      url: "https://hooks.example.com/scim?team=7",
      types: ["user.created", "group.member_added"],
      paused: false,
      retryForSeconds: 5400,
      cursor: await lastEventSequence(server.database.sql, tenant.id),
    });
    expect(stored!.cursor).toBeGreaterThan(0);

    const [polled, defaulted] = await Promise.all([
      cli("subscribe", "--tenant", "cli", "--format", "poll", "--audience", "https://receiver.example.com"),
      runBundledTool(bundle, "events", ["subscribe", "--tenant", "cli", "--url", "http://127.0.0.1:9/hook"], database.url, { EVENTS_RETRY_FOR_SECONDS: "7200" }),
    ]);
    expect(polled.code, polled.stderr).toBe(0);
    const poll = await server.subscriptions.get((JSON.parse(polled.stdout) as { id: string }).id);
    expect(poll).toMatchObject({ format: "poll", url: null, audience: "https://receiver.example.com", types: [], retryForSeconds: 259_200 });
    expect(defaulted.code, defaulted.stderr).toBe(0);
    expect((await server.subscriptions.get((JSON.parse(defaulted.stdout) as { id: string }).id))?.retryForSeconds).toBe(7200);

    const listed = await cli("subscribe", "--list", "--tenant", "cli");
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain(printed.secret);
    expect(listed.stdout).not.toMatch(/secret/i);
    const rows = JSON.parse(listed.stdout) as { id: string; tenant: string; pending: unknown }[];
    expect(rows.map((row) => row.id)).toContain(printed.id);
    expect(rows.find((row) => row.id === printed.id)).toMatchObject({ tenant: "cli", types: ["user.created", "group.member_added"], pending: { retry: 0, dead: 0, failed: 0 } });
  });

  it("pauses, resumes and removes a subscription", async () => {
    const { subscription } = await server.subscriptions.create({
      tenantId: (await server.tenants.find("cli"))!.id, format: "webhook", url: "http://127.0.0.1:9/paused", types: [], audience: null, retryForSeconds: 60,
    });
    const paused = await cli("subscribe", "--pause", subscription.id);
    expect(paused.code, paused.stderr).toBe(0);
    expect(JSON.parse(paused.stdout)).toMatchObject({ id: subscription.id, paused: true });
    expect((await server.subscriptions.get(subscription.id))?.paused).toBe(true);
    const resumed = await cli("subscribe", "--resume", subscription.id);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ id: subscription.id, paused: false });
    expect((await server.subscriptions.get(subscription.id))?.paused).toBe(false);
    const removed = await cli("subscribe", "--remove", subscription.id);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stderr.trim()).toBe(`removed subscription ${subscription.id}`);
    expect(await server.subscriptions.get(subscription.id)).toBeUndefined();
  });

  it("refuses what it cannot do with one line and a non-zero exit, and stores nothing", async () => {
    const before = (await server.subscriptions.list()).length;
    const cases: [string[], number, RegExp][] = [
      [["subscribe", "--tenant", "cli", "--url", "ftp://files.example.com/drop"], 2, /^events: --url must be an http\(s\) URL, not "ftp:\/\/files\.example\.com\/drop"/],
      [["subscribe", "--tenant", "cli", "--url", "https://x.example.com", "--types", "user.created,user.exploded"], 2, /^events: --types: no event type "user\.exploded" \(the types: user\.created, /],
      [["subscribe", "--tenant", "nobody", "--url", "https://x.example.com"], 1, /^events: no tenant named nobody$/],
      [["subscribe", "--tenant", "cli", "--format", "poll", "--url", "https://x.example.com"], 2, /^events: --format poll takes no --url/],
      [["subscribe", "--tenant", "cli"], 2, /^events: --format webhook needs --url/],
      [["subscribe", "--pause", "no-such-subscription"], 1, /^events: no subscription no-such-subscription$/],
      [["replay", "--subscription", "no-such-subscription"], 1, /^events: no subscription no-such-subscription$/],
      [["replay", "--subscription", "x", "--from", "yesterday"], 2, /^events: --from must be a sequence number or an ISO 8601 time, not "yesterday"/],
      [["deliveries", "--subscription", "x", "--limit", "0"], 2, /^events: --limit must be a whole number from 1 to 100000/],
      [["unsubscribe"], 2, /^events: no command "unsubscribe" \(the commands: subscribe, replay, deliveries\)/],
      [["subscribe", "--list", "--url", "https://x.example.com"], 2, /^events: --list takes only --tenant, not --url/],
      [["subscribe", "--remove", "x", "--tenant", "cli"], 2, /^events: --remove takes no other option, not --tenant/],
    ];
    const runs = await Promise.all(cases.map(([args]) => cli(...args)));
    runs.forEach((run, index) => {
      const [args, code, message] = cases[index]!;
      expect({ args, code: run.code, stdout: run.stdout }).toStrictEqual({ args, code, stdout: "" });
      expect(run.stderr.trimEnd().split("\n"), args.join(" ")).toHaveLength(1);
      expect(run.stderr.trimEnd(), args.join(" ")).toMatch(message);
    });
    expect((await server.subscriptions.list()).length).toBe(before);
  });

  it("--format set subscribes with the audience given", async () => {
    const run = await cli("subscribe", "--tenant", "cli", "--format", "set", "--url", "https://receiver.example.com/events", "--audience", "https://receiver.example.com");
    expect(run.code, run.stderr).toBe(0);
    const subscription = await server.subscriptions.get((JSON.parse(run.stdout) as { id: string }).id);
    expect({ format: subscription?.format, audience: subscription?.audience }).toStrictEqual({ format: "set", audience: "https://receiver.example.com" });
  });
});
