import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { SqlValue } from "../../../src/store/driver/sql.ts";
import { startTestApp, type TestApp } from "../../support/app.ts";
import { expectVyteError, unique, userBody, vyteClient, type VyteClient } from "./fixtures.ts";

// docs/compat/vyte.md §6.6: a user write that also touches teams is one unit of work. A failed
// call commits nothing, read from the database itself: no row it wrote, no version it moved, no
// sequence number it took, no change event, and not the password it set.

let app: TestApp;
let vyte: VyteClient;
beforeAll(async () => {
  app = await startTestApp();
  vyte = await vyteClient(app, "vyte-atomicity");
});
afterAll(() => app.close());

const rows = (text: string, args: readonly SqlValue[]) => app.server.database.sql.query(text, args);
const tenantRows = async () => ({
  users: await rows('SELECT "id", "version", "userName", "doc", "passwordHash" FROM "User" WHERE "tenantId" = ? ORDER BY "id"', [vyte.organization]),
  groups: await rows('SELECT "id", "version", "doc" FROM "Group" WHERE "tenantId" = ? ORDER BY "id"', [vyte.organization]),
  members: await rows('SELECT "groupId", "memberId" FROM "GroupMember" WHERE "tenantId" = ? ORDER BY "groupId", "memberId"', [vyte.organization]),
  sequences: await rows('SELECT "name", "last" FROM "Sequence" WHERE "tenantId" = ? ORDER BY "name"', [vyte.organization]),
  events: await rows('SELECT "sequence", "type", "resourceId" FROM "Event" WHERE "tenantId" = ? ORDER BY "sequence"', [vyte.organization]),
});

describe("a call that fails part-way commits nothing (§6.6)", () => {
  it("a create whose second team cannot be written leaves no user, no team and no number taken", async () => {
    const before = await tenantRows();
    const name = unique("Half");
    const response = await vyte.post(
      "/v2/users",
      userBody(vyte.organization, { email: `${unique("atomic")}@example.com` }, { teams: [{ name, extid: name }, { extid: unique("missing") }] }),
    );
    expectVyteError(response, 400);
    expect(await tenantRows()).toEqual(before);
  });

  it("an update whose teams fail leaves the user as it was, its version and its password included", async () => {
    const team = unique("Kept");
    const email = `${unique("pw")}@example.com`;
    const created = await vyte
      .post("/v2/users", { ...userBody(vyte.organization, { email }, { teams: [{ name: team, extid: team }] }), login: { credentials: { username: email, password: "first-Secret-1" } } })
      .expect(200);
    const before = await tenantRows();
    expect(before.users.some((row) => row.userName === email && typeof row.passwordHash === "string")).toBe(true);
    const other = unique("Other");
    const response = await vyte.put(`/v2/users/${created.body.user._id}`, {
      user: { last_name: "After" },
      login: { credentials: { password: "second-Secret-2" } },
      teams: [{ extid: team, admin: true }, { name: other, extid: other }, { extid: unique("missing") }],
    });
    expectVyteError(response, 400);
    expect(await tenantRows()).toEqual(before);
  });
});
