// The workloads of issue #6, as data: what each request is, and which servers answer it. Every
// workload is a factory of requests, so that each request can differ (a random user, a unique
// userName, a new member) without the load generator knowing why.

import { bulkRequestUrn, patchOpUrn, userUrn } from "../../src/scim/schema/urns.ts";
import { pseudoRandom } from "../support/seed.ts";

export interface RequestSpec {
  readonly method: "GET" | "POST" | "PATCH";
  readonly path: string;
  readonly body?: string;
}

// What the workloads draw on: the seeded data and what was found by walking it.
export interface WorkloadData {
  readonly userNames: readonly string[];
  readonly userIds: readonly string[];
  // Users in no group, each added once by (f).
  readonly reserveIds: readonly string[];
  // Those of them that are active, each deactivated once by (e) as --events sends it.
  readonly activeReserveIds: readonly string[];
  readonly bigGroupId: string;
  // The position of the deep page, (c) and (c-cursor): 50001 at 100k users.
  readonly depth: number;
  // The cursor of the row before `depth`, found by walking (undefined for the baseline).
  readonly deepCursor?: string;
  // Distinguishes this run's and this server's new userNames from any other's.
  readonly tag: string;
}

export interface Workload {
  readonly id: string;
  readonly title: (data: WorkloadData) => string;
  // Whether the baseline answers it too (only (a)-(e) are compared).
  readonly compared: boolean;
  // A workload of ours this one is compared with (its id): when both run, they are measured in
  // turns, as a compared workload is with the baseline.
  readonly takesTurnsWith?: string;
  // Concurrent connections, when the workload needs fewer than --connections.
  readonly connections?: number;
  // A fixed number of requests instead of --duration, for requests that take seconds each.
  readonly amount?: number;
  // What the table should say about a run: `sent` counts every request the source made.
  readonly notes?: (data: WorkloadData, perSecond: number, sent: number) => string[];
  // A source of requests: called once per run, then once per request.
  readonly requests: (data: WorkloadData) => () => RequestSpec;
}

const users = "/scim/v2/Users";

// Random choices come from a fixed sequence, so that runs send the same requests.
const sequence = pseudoRandom;

function randomOf<T>(items: readonly T[], seed: number): () => T {
  const random = sequence(seed);
  return () => items[Math.floor(random() * items.length)] as T;
}

const get = (path: string): RequestSpec => ({ method: "GET", path });

function newUser(userName: string): Record<string, unknown> {
  return {
    schemas: [userUrn],
    userName,
    name: { givenName: "Bench", familyName: "Poster" },
    displayName: "Bench Poster",
    emails: [{ value: userName, type: "work", primary: true }],
    active: true,
  };
}

export const workloads: readonly Workload[] = [
  {
    id: "a",
    title: () => 'GET /Users?filter=userName eq "<random>"',
    compared: true,
    requests: (data) => {
      const userName = randomOf(data.userNames, 1);
      return () => get(`${users}?filter=${encodeURIComponent(`userName eq "${userName()}"`)}`);
    },
  },
  {
    id: "b",
    title: () => 'GET /Users?filter=name.familyName sw "Sm"&count=50',
    compared: true,
    requests: () => () => get(`${users}?filter=${encodeURIComponent('name.familyName sw "Sm"')}&count=50`),
  },
  {
    id: "c-page1",
    title: () => "GET /Users?startIndex=1&count=100 (page one)",
    compared: false,
    requests: () => () => get(`${users}?startIndex=1&count=100`),
  },
  {
    id: "c",
    title: (data) => `GET /Users?startIndex=${data.depth}&count=100`,
    compared: true,
    requests: (data) => () => get(`${users}?startIndex=${data.depth}&count=100`),
  },
  {
    id: "c-cursor",
    title: (data) => `GET /Users?cursor=<at ${data.depth}>&count=100`,
    compared: false,
    takesTurnsWith: "c-page1",
    requests: (data) => {
      if (data.deepCursor === undefined) throw new Error("c-cursor needs the cursor found by walking");
      const path = `${users}?cursor=${encodeURIComponent(data.deepCursor)}&count=100`;
      return () => get(path);
    },
  },
  {
    id: "h",
    title: () => "GET /Groups?excludedAttributes=members",
    compared: false,
    requests: () => () => get("/scim/v2/Groups?excludedAttributes=members"),
  },
  {
    id: "e",
    title: () => "PATCH /Users/<random> active=false",
    compared: true,
    requests: (data) => {
      const id = randomOf(data.userIds, 5);
      const body = JSON.stringify({ schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: false }] });
      return () => ({ method: "PATCH", path: `${users}/${id()}`, body });
    },
  },
  {
    // The response leaves members out: with them, every answer would carry 100k members.
    id: "f",
    title: (data) => `PATCH /Groups/<${data.userIds.length} members> add 1 member`,
    compared: false,
    notes: (data, _perSecond, sent) =>
      sent > data.reserveIds.length ? [`the ${data.reserveIds.length} reserve users ran out: later adds were no-ops`] : [],
    requests: (data) => {
      let next = 0;
      const path = `/scim/v2/Groups/${data.bigGroupId}?excludedAttributes=members`;
      return () => {
        // Past the reserve, members are added again: a no-op that the report flags.
        const value = data.reserveIds[next++ % data.reserveIds.length] as string;
        const body = JSON.stringify({ schemas: [patchOpUrn], Operations: [{ op: "add", path: "members", value: [{ value }] }] });
        return { method: "PATCH", path, body };
      };
    },
  },
  {
    id: "d",
    title: () => "POST /Users",
    compared: true,
    requests: (data) => {
      let next = 0;
      return () => ({ method: "POST", path: users, body: JSON.stringify(newUser(`post.${data.tag}.${next++}@bench.example`)) });
    },
  },
  {
    id: "g",
    title: () => "POST /Bulk (1000 creates)",
    compared: false,
    connections: 1,
    amount: 5,
    notes: (_data, perSecond) => [`${(perSecond * 1000).toFixed(0)} users/s`],
    requests: (data) => {
      let next = 0;
      return () => {
        const batch = next++;
        const Operations = Array.from({ length: 1000 }, (_, i) => ({
          method: "POST",
          path: "/Users",
          bulkId: `u${i}`,
          data: newUser(`bulk.${data.tag}.${batch}.${i}@bench.example`),
        }));
        return { method: "POST", path: "/scim/v2/Bulk", body: JSON.stringify({ schemas: [bulkRequestUrn], Operations }) };
      };
    },
  },
];

// (e) as `--events` sends it: each active reserve user deactivated once, so that every request
// changes a user and writes its event. A random user may be inactive already (some are seeded so,
// and a run deactivates many), and a PATCH that changes nothing writes no event.
const deactivateEach: Workload = {
  id: "e",
  title: () => "PATCH /Users/<each active reserve user once> active=false",
  compared: false,
  notes: (data, _perSecond, sent) =>
    sent > data.activeReserveIds.length ? [`the ${data.activeReserveIds.length} active reserve users ran out: later requests changed nothing`] : [],
  requests: (data) => {
    let next = 0;
    const body = JSON.stringify({ schemas: [patchOpUrn], Operations: [{ op: "replace", path: "active", value: false }] });
    return () => ({ method: "PATCH", path: `${users}/${data.activeReserveIds[next++ % data.activeReserveIds.length] as string}`, body });
  },
};

// The writes `--events` measures with and without a webhook subscription, each request writing
// one change event: (d), (e) as above, and (f). Undefined for the other workloads.
export function eventWorkload(id: string): Workload | undefined {
  if (id === "e") return deactivateEach;
  return id === "d" || id === "f" ? workloadById(id) : undefined;
}

export function workloadById(id: string): Workload | undefined {
  return workloads.find((workload) => workload.id === id);
}
