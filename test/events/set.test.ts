import { createServer, type Server as HttpServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify, type JWTPayload } from "jose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventText, type ChangeEvent, type NewEvent } from "../../src/events/catalogue.ts";
import type { PushEvent, PushTarget, Verdict } from "../../src/events/push-format.ts";
import { setClaims, setPushFormat, type SetIssuer } from "../../src/events/set.ts";
import { patchOpUrn } from "../../src/scim/schema/urns.ts";
import { eventsAfter } from "../../src/store/events.ts";
import { startTestApp, type TestApp } from "../support/app.ts";
import { appendEvents, changeEvent, groupData, lifeEvents, listen, publicBaseUrl } from "./fixture.ts";

// RFC 9967 SETs pushed as RFC 8935 says, to a receiver that verifies them as a receiver would:
// with a JOSE library, against the keys the server publishes at /events/jwks.json, fetched over
// HTTP. The receiver answers 202, or 400 with an RFC 8935 error when a token does not verify.

const prov = "urn:ietf:params:scim:event:prov";

interface Received {
  readonly contentType: string | undefined;
  readonly header: ReturnType<typeof decodeProtectedHeader>;
  readonly claims: JWTPayload & Record<string, unknown>;
}

// A SET receiver: each POST's body verified for the issuer and the audience it expects.
async function startReceiver(jwksUrl: string, audience: string) {
  const keys = createRemoteJWKSet(new URL(jwksUrl));
  const received: Received[] = [];
  const http: HttpServer = createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const token = Buffer.concat(chunks).toString();
    try {
      const { payload, protectedHeader } = await jwtVerify(token, keys, { issuer: publicBaseUrl, audience, typ: "secevent+jwt", algorithms: ["ES256"] });
      received.push({ contentType: req.headers["content-type"], header: protectedHeader, claims: payload as Received["claims"] });
      res.writeHead(202).end();
    } catch (error) {
      const err = (error as { code?: string }).code === "ERR_JWT_CLAIM_VALIDATION_FAILED" ? "invalid_audience" : "invalid_key";
      res.writeHead(400, { "Content-Type": "application/json" }).end(JSON.stringify({ err, description: (error as Error).message }));
    }
  });
  await new Promise<void>((resolve) => http.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(http.address() as AddressInfo).port}/events`;
  return { url, received, close: () => new Promise<void>((resolve) => http.close(() => resolve())) };
}

let app: TestApp;
let server: Awaited<ReturnType<typeof listen>>;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
let events: NewEvent[];
let stored: ChangeEvent[];

beforeAll(async () => {
  app = await startTestApp({ PUBLIC_BASE_URL: publicBaseUrl });
  server = await listen(app.server);
  receiver = await startReceiver(`${server.url}/events/jwks.json`, "https://receiver.example.com/scim-events");
  events = lifeEvents();
  const tenantId = await appendEvents(app.server, "acme", events);
  stored = (await eventsAfter(app.server.database.sql, tenantId, 0, 100)).map((row) => JSON.parse(eventText(row, "acme")) as ChangeEvent);
});
afterAll(async () => {
  await receiver?.close();
  await server?.close();
  await app?.close();
});

// Pushes each event as the delivery engine does: the format's request, POSTed; the outcome the
// format reads from the answer.
async function push(issuer: SetIssuer, subscription: Partial<PushTarget> = {}) {
  const format = setPushFormat(issuer);
  const to: PushTarget = { id: "sub-1", url: receiver.url, secret: "unused", audience: "https://receiver.example.com/scim-events", ...subscription };
  receiver.received.length = 0;
  const outcomes = [];
  for (const event of stored) {
    const request = format.request(pushEvent(event), to, new Date());
    const answer = await fetch(request.url, { method: "POST", headers: request.headers, body: request.body });
    outcomes.push(outcome(format.classify(answer.status, await answer.text())));
  }
  return outcomes;
}

// The event as delivery hands it to a format: its stored columns and the tenant's name.
function pushEvent(event: ChangeEvent): PushEvent {
  const { id, type, tenant, sequence, ...payload } = event;
  return { id, type, tenant, sequence, payload: JSON.stringify(payload) };
}

// A verdict as "delivered", "retry" or { final: error }.
function outcome(verdict: Verdict): "delivered" | "retry" | { final: string } {
  return verdict.kind === "final" ? { final: verdict.error } : verdict.kind;
}

const byType = (received: readonly Received[]) => new Map(received.map((entry, index) => [stored[index]?.type, entry]));

describe("SETs pushed to an RFC 8935 receiver", () => {
  it("are accepted: every token verifies against the published keys", async () => {
    expect(await push(app.server.securityEvents)).toStrictEqual(stored.map(() => "delivered"));
    expect(receiver.received).toHaveLength(stored.length);
  });

  it("carry RFC 8417's claims: a JWS with typ secevent+jwt, signed ES256 with the published key", async () => {
    await push(app.server.securityEvents);
    const jwks = (await (await fetch(`${server.url}/events/jwks.json`)).json()) as { keys: { kid: string }[] };
    const before = Math.floor(Date.now() / 1000);
    receiver.received.forEach((entry, index) => {
      const event = stored[index] as ChangeEvent;
      expect(entry.contentType).toBe("application/secevent+jwt");
      expect(entry.header).toStrictEqual({ alg: "ES256", typ: "secevent+jwt", kid: jwks.keys[0]?.kid });
      expect(entry.claims.iss).toBe(publicBaseUrl);
      expect(entry.claims.aud).toBe("https://receiver.example.com/scim-events");
      expect(entry.claims.jti).toBe(event.id);
      expect(entry.claims.txn).toBe(event.id);
      expect(entry.claims.iat).toBeGreaterThanOrEqual(before - 5);
      expect(entry.claims.toe).toBe(Math.floor(Date.parse(event.occurredAt) / 1000));
      expect(entry.claims.sub).toBeUndefined();
    });
  });

  it("name the resource by its path in sub_id (RFC 9967 §2.1), with its externalId when it has one", async () => {
    await push(app.server.securityEvents);
    const received = byType(receiver.received);
    const ada = stored.find((event) => event.type === "user.created")?.resource;
    const team = stored.find((event) => event.type === "group.created")?.resource;
    expect(received.get("user.created")?.claims.sub_id).toStrictEqual({ format: "scim", uri: `/Users/${ada?.id}`, externalId: "ada-7" });
    expect(received.get("group.created")?.claims.sub_id).toStrictEqual({ format: "scim", uri: `/Groups/${team?.id}` });
  });

  it("tell each change as the RFC 9967 §2.4 event in full mode", async () => {
    await push(app.server.securityEvents);
    const received = byType(receiver.received);
    const event = (type: string) => stored.find((candidate) => candidate.type === type) as ChangeEvent;
    const ada = event("user.created").resource.id;
    expect(received.get("user.created")?.claims.events).toStrictEqual({
      [`${prov}:create:full`]: { data: event("user.created").data, version: 'W/"1"' },
    });
    expect(received.get("user.updated")?.claims.events).toStrictEqual({
      [`${prov}:put:full`]: { data: event("user.updated").data, version: 'W/"2"' },
    });
    expect(received.get("group.created")?.claims.events).toStrictEqual({
      [`${prov}:create:full`]: { data: event("group.created").data, version: 'W/"1"' },
    });
    expect(received.get("group.member_added")?.claims.events).toStrictEqual({
      [`${prov}:patch:full`]: {
        data: { schemas: [patchOpUrn], Operations: [{ op: "add", path: "members", value: [{ value: ada, $ref: `/Users/${ada}`, type: "User" }] }] },
        version: 'W/"2"',
      },
    });
    expect(received.get("group.updated")?.claims.events).toStrictEqual({
      [`${prov}:patch:full`]: {
        data: {
          schemas: [patchOpUrn],
          Operations: [
            { op: "replace", path: "displayName", value: "Analytical Engines" },
            { op: "remove", path: "externalId" },
          ],
        },
        version: 'W/"3"',
      },
    });
    expect(received.get("user.deactivated")?.claims.events).toStrictEqual({ [`${prov}:deactivate`]: {} });
    expect(received.get("user.reactivated")?.claims.events).toStrictEqual({ [`${prov}:activate`]: {} });
    expect(received.get("group.member_removed")?.claims.events).toStrictEqual({
      [`${prov}:patch:full`]: { data: { schemas: [patchOpUrn], Operations: [{ op: "remove", path: `members[value eq "${ada}"]` }] }, version: 'W/"4"' },
    });
    expect(received.get("group.deleted")?.claims.events).toStrictEqual({ [`${prov}:delete`]: {} });
    expect(received.get("user.deleted")?.claims.events).toStrictEqual({ [`${prov}:delete`]: {} });
  });

  it("tell each change as the RFC 9967 §2.4 notice in notice mode: attribute names, no data", async () => {
    expect(await push({ ...app.server.securityEvents, mode: "notice" })).toStrictEqual(stored.map(() => "delivered"));
    const received = byType(receiver.received);
    expect(received.get("user.created")?.claims.events).toStrictEqual({
      [`${prov}:create:notice`]: {
        attributes: ["id", "externalId", "userName", "name", "displayName", "emails", "active", "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"],
        version: 'W/"1"',
      },
    });
    expect(received.get("user.updated")?.claims.events).toStrictEqual({ [`${prov}:put:notice`]: { attributes: ["displayName", "title"], version: 'W/"2"' } });
    expect(received.get("group.created")?.claims.events).toStrictEqual({ [`${prov}:create:notice`]: { attributes: ["id", "displayName"], version: 'W/"1"' } });
    expect(received.get("group.member_added")?.claims.events).toStrictEqual({ [`${prov}:patch:notice`]: { attributes: ["members"], version: 'W/"2"' } });
    expect(received.get("group.updated")?.claims.events).toStrictEqual({
      [`${prov}:patch:notice`]: { attributes: ["displayName", "externalId"], version: 'W/"3"' },
    });
    expect(received.get("user.deleted")?.claims.events).toStrictEqual({ [`${prov}:delete`]: {} });
    expect(JSON.stringify(receiver.received.map((entry) => entry.claims))).not.toContain("ada.lovelace@example.com");
  });

  it("are addressed to the subscription's URL when it names no audience", async () => {
    const format = setPushFormat(app.server.securityEvents);
    const event = stored[0] as ChangeEvent;
    const request = format.request(pushEvent(event), { id: "s", url: receiver.url, secret: "", audience: null }, new Date());
    const [, claims] = request.body.split(".");
    expect(JSON.parse(Buffer.from(claims as string, "base64url").toString()).aud).toBe(receiver.url);
  });

  it("refused by the receiver with an RFC 8935 error are given up with its err and description", async () => {
    const outcomes = await push(app.server.securityEvents, { audience: "https://someone-else.example.com" });
    expect(receiver.received).toHaveLength(0);
    for (const outcome of outcomes) {
      expect(outcome).toStrictEqual({ final: expect.stringMatching(/^invalid_audience: .*aud/) });
    }
  });
});

describe("the SET push format's reading of answers (RFC 8935 §2.2, §2.3)", () => {
  const format = () => setPushFormat(app.server.securityEvents);
  it.each([
    [202, "", "delivered"],
    [200, "{}", "delivered"],
    [204, "", "delivered"],
    [400, JSON.stringify({ err: "invalid_key", description: "kid not found" }), { final: "invalid_key: kid not found" }],
    [400, JSON.stringify({ err: "access_denied" }), { final: "access_denied" }],
    [400, "<html>Bad Request</html>", "retry"],
    [400, JSON.stringify({ error: "invalid_request" }), "retry"],
    [400, JSON.stringify({ err: "" }), "retry"],
    [401, JSON.stringify({ err: "authentication_failed" }), "retry"],
    [404, "", "retry"],
    [429, "", "retry"],
    [500, "", "retry"],
    [503, "", "retry"],
    [301, "", "retry"],
  ] as const)("%i %s is %j", (status, body, expected) => {
    expect(outcome(format().classify(status, body))).toStrictEqual(expected);
  });
});

// RFC 9967 §2.4.2: a group update is the PATCH that makes the same change.
describe("a group update as a PATCH", () => {
  const team = { type: "Group" as const, id: "g-1", externalId: "eng", version: 7 };
  const extension = "urn:example:params:scim:schemas:extension:acme:2.0:Group";
  const data = { ...groupData(team, "Engineering", new Date()), [extension]: { costCenter: "CC-9", owner: { email: "lead@example.com" } } };
  const operationsFor = (changed: string[], mode: "full" | "notice" = "full") => {
    const stored = JSON.parse(eventText({ id: "e", type: "group.updated", sequence: 1, payload: changeEvent("group.updated", team, data, { changed }).payload }, "acme")) as ChangeEvent;
    return setClaims(stored, mode, publicBaseUrl, undefined, new Date()).events;
  };

  it.each([
    ["an attribute", ["displayName"], [{ op: "replace", path: "displayName", value: "Engineering" }]],
    ["an attribute in another case", ["DISPLAYNAME"], [{ op: "replace", path: "DISPLAYNAME", value: "Engineering" }]],
    ["an extension attribute", [`${extension}:costCenter`], [{ op: "replace", path: `${extension}:costCenter`, value: "CC-9" }]],
    ["an extension sub-attribute", [`${extension}:owner.email`], [{ op: "replace", path: `${extension}:owner.email`, value: "lead@example.com" }]],
    ["a whole extension", [extension], [{ op: "replace", path: extension, value: data[extension] }]],
    ["an attribute the group no longer has", ["description"], [{ op: "remove", path: "description" }]],
    ["a value path, as its whole attribute", ['emails[type eq "work"].value'], [{ op: "remove", path: "emails" }]],
  ])("%s", (_name, changed, operations) => {
    expect(operationsFor(changed)).toStrictEqual({ [`${prov}:patch:full`]: { data: { schemas: [patchOpUrn], Operations: operations }, version: 'W/"7"' } });
  });

  it("leaves members to the member events; with nothing else changed, it is a patch notice", () => {
    expect(operationsFor(["displayName", "members"])).toStrictEqual({
      [`${prov}:patch:full`]: { data: { schemas: [patchOpUrn], Operations: [{ op: "replace", path: "displayName", value: "Engineering" }] }, version: 'W/"7"' },
    });
    expect(operationsFor(["members"])).toStrictEqual({ [`${prov}:patch:notice`]: { attributes: ["members"], version: 'W/"7"' } });
  });
});
