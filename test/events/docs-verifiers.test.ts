import { spawn, type ChildProcess } from "node:child_process";
import { createHmac, randomUUID } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accepting, repoRoot } from "../support/process.ts";

// The webhook receivers of docs/events.md §6.2 and §6.3, run as printed there (the blocks fenced
// as `js receiver` and `python receiver`), each as a process on 127.0.0.1, and sent requests
// signed here as §6.1 describes: they accept a good signature and refuse a wrong or old one.

const doc = readFileSync(join(repoRoot, "docs/events.md"), "utf8");
const secret = "d6c1a0e4f5b24e8c9a7d3b2f1e0c9b8a";

// The body of the one code block whose info string is `info`.
function codeBlock(info: string): string {
  const blocks = [...doc.matchAll(/^```([^\n]*)\n([\s\S]*?)^```[ \t]*$/gm)].filter((match) => match[1]!.trim() === info);
  if (blocks.length !== 1) throw new Error(`docs/events.md has ${blocks.length} blocks fenced as ${info}, not 1`);
  return blocks[0]![2]!;
}

// X-Scim-Signature for `body` at `seconds` (docs/events.md §6.1).
function signature(body: string, seconds: number, key = secret): string {
  return `t=${seconds},v1=${createHmac("sha256", key).update(`${seconds}.${body}`).digest("hex")}`;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// An event as the server sends it, with text outside ASCII so that the signed bytes are UTF-8.
function eventBody(id = randomUUID()): string {
  const userId = randomUUID();
  return JSON.stringify({
    id,
    type: "user.deactivated",
    tenant: "acme",
    sequence: 3,
    occurredAt: new Date().toISOString(),
    resource: { type: "User", id: userId, externalId: "00u1a2b3c4", version: 3 },
    data: {
      schemas: ["urn:ietf:params:scim:schemas:core:2.0:User"],
      id: userId,
      userName: "zoe@example.com",
      displayName: "Zoë Ångström",
      active: false,
      meta: { resourceType: "User", version: 'W/"3"' },
    },
    changed: ["active"],
    previous: { active: true },
  });
}

interface Receiver {
  readonly child: ChildProcess;
  readonly port: number;
  output(): string;
}

async function freePort(): Promise<number> {
  const server = createServer().listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, "close");
  return port;
}

async function startReceiver(command: string, file: string): Promise<Receiver> {
  const port = await freePort();
  const child = spawn(command, [file], { env: { ...process.env, PORT: String(port), WEBHOOK_SECRET: secret }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  let exited = false;
  child.once("exit", () => (exited = true));
  child.once("error", (error) => {
    exited = true;
    output += String(error);
  });
  const deadline = Date.now() + 10_000;
  while (!(await accepting(port))) {
    if (exited || Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`${command} ${file} did not listen on ${port}: ${output}`);
    }
    await sleep(20);
  }
  return { child, port, output: () => output };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGTERM");
  const timer = setTimeout(() => child.kill("SIGKILL"), 2000);
  await exited;
  clearTimeout(timer);
}

async function deliver(receiver: Receiver, body: string, signatureHeader?: string): Promise<number> {
  const headers: Record<string, string> = { "Content-Type": "application/json", "X-Scim-Event-Id": (JSON.parse(body) as { id: string }).id };
  if (signatureHeader !== undefined) headers["X-Scim-Signature"] = signatureHeader;
  const response = await fetch(`http://127.0.0.1:${receiver.port}/scim-events`, { method: "POST", headers, body });
  await response.arrayBuffer();
  return response.status;
}

// Waits until the receiver has printed `text`.
async function printed(receiver: Receiver, text: string): Promise<string> {
  const deadline = Date.now() + 5000;
  while (!receiver.output().includes(text)) {
    if (Date.now() > deadline) throw new Error(`the receiver did not print ${text}: ${receiver.output()}`);
    await sleep(10);
  }
  return receiver.output();
}

const languages = [
  { name: "Node", info: "js receiver", file: "receiver.mjs", command: process.execPath },
  { name: "Python", info: "python receiver", file: "receiver.py", command: "python3" },
] as const;

const folder = mkdtempSync(join(tmpdir(), "scim-doc-receivers-"));
const receivers = new Map<string, Receiver>();

beforeAll(async () => {
  const started = await Promise.allSettled(
    languages.map(async (language) => {
      const file = join(folder, language.file);
      writeFileSync(file, codeBlock(language.info));
      receivers.set(language.name, await startReceiver(language.command, file));
    }),
  );
  const failed = started.find((result) => result.status === "rejected");
  if (failed) throw failed.reason;
});

afterAll(async () => {
  await Promise.all([...receivers.values()].map((receiver) => stop(receiver.child)));
  rmSync(folder, { recursive: true, force: true });
});

describe("the signature example of docs/events.md §6.1", () => {
  it("is what HMAC-SHA256 of <t>.<body> gives", () => {
    const example = codeBlock("text signature-example");
    const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, "m").exec(example)?.[1]?.trim() ?? "";
    expect(field("header")).toBe(signature(field("body"), Number(field("t")), field("secret")));
  });
});

describe.each(languages)("the $name webhook receiver of docs/events.md", ({ name }) => {
  const receiver = () => receivers.get(name)!;

  it("accepts a correctly signed event, and an event delivered twice is handled once", async () => {
    const body = eventBody();
    const userId = (JSON.parse(body) as { resource: { id: string } }).resource.id;
    const status = await deliver(receiver(), body, signature(body, nowSeconds()));
    expect(status).toBeGreaterThanOrEqual(200);
    expect(status).toBeLessThan(300);
    await printed(receiver(), userId);

    const again = await deliver(receiver(), body, signature(body, nowSeconds()));
    expect(again).toBeGreaterThanOrEqual(200);
    expect(again).toBeLessThan(300);
    // Output is in order: once the next event is printed, a second print of the first would be there.
    const next = eventBody();
    expect(await deliver(receiver(), next, signature(next, nowSeconds()))).toBeLessThan(300);
    const output = await printed(receiver(), (JSON.parse(next) as { resource: { id: string } }).resource.id);
    expect(output.split(userId).length - 1, "the event printed once").toBe(1);
  });

  it("refuses a signature made with another secret", async () => {
    const body = eventBody();
    expect(await deliver(receiver(), body, signature(body, nowSeconds(), "not-the-secret"))).toBe(401);
  });

  it("refuses a body changed after it was signed", async () => {
    const body = eventBody();
    const changed = body.replace('"active":false', '"active":true');
    expect(changed).not.toBe(body);
    expect(await deliver(receiver(), changed, signature(body, nowSeconds()))).toBe(401);
  });

  it("refuses a correctly signed request whose timestamp is more than 5 minutes off", async () => {
    const body = eventBody();
    expect(await deliver(receiver(), body, signature(body, nowSeconds() - 600))).toBe(401);
    expect(await deliver(receiver(), body, signature(body, nowSeconds() + 600))).toBe(401);
  });

  it("refuses a request without a signature, or with a malformed one", async () => {
    const body = eventBody();
    expect(await deliver(receiver(), body)).toBe(401);
    expect(await deliver(receiver(), body, "garbage")).toBe(401);
    expect(await deliver(receiver(), body, `t=${nowSeconds()}`)).toBe(401);
    const good = signature(body, nowSeconds());
    expect(await deliver(receiver(), body, good.slice(0, -2))).toBe(401);
  });
});
