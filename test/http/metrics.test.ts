import parsePrometheusTextFormat from "parse-prometheus-text-format";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type ScimClient, type TestApp } from "../support/app.ts";

// GET /metrics: Prometheus text exposition (prom-client) of the requests served, by surface,
// method, route template and status, their durations, the time spent waiting for the database,
// and the process's own metrics.

interface Family {
  readonly name: string;
  readonly type: string;
  readonly metrics: readonly { readonly value?: string; readonly labels?: Record<string, string>; readonly count?: string }[];
}

// The metric families, parsed (the parser throws on a line that is not the text format), with
// the text itself.
async function scrape(app: TestApp, token?: string): Promise<Family[] & { text: string }> {
  const request = app.http().get("/metrics");
  if (token) request.set("Authorization", `Bearer ${token}`);
  const response = await request.expect(200);
  expect(response.headers["content-type"]).toMatch(/^text\/plain; version=0\.0\.4/);
  return Object.assign(parsePrometheusTextFormat(response.text) as Family[], { text: response.text });
}

// A histogram's observation count for the series whose labels include `labels` (the parser
// merges a labelled histogram's series, so the count is read from its sample line).
function observations(text: string, name: string, labels: Record<string, string>): number {
  return text
    .split("\n")
    .filter((line) => line.startsWith(`${name}_count{`) && Object.entries(labels).every(([label, value]) => line.includes(`${label}="${value}"`)))
    .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(" ") + 1)), 0);
}

function family(families: readonly Family[], name: string): Family {
  const found = families.find((entry) => entry.name === name);
  if (!found) throw new Error(`no metric ${name}`);
  return found;
}

function requestsCounted(families: readonly Family[], labels: Record<string, string>): number {
  return family(families, "scim_http_requests_total")
    .metrics.filter((metric) => Object.entries(labels).every(([name, value]) => metric.labels?.[name] === value))
    .reduce((sum, metric) => sum + Number(metric.value), 0);
}

describe("GET /metrics", () => {
  let app: TestApp;
  let scim: ScimClient;
  beforeAll(async () => {
    app = await startTestApp();
    scim = await app.client();
  });
  afterAll(() => app.close());

  it("parses as Prometheus text and counts a request by surface, method, route template and status", async () => {
    const before = await scrape(app);
    const created = await scim.post("/Users", { userName: "metrics-user" }).expect(201);
    await scim.get(`/Users/${created.body.id}`).expect(200);
    await scim.get("/Users/no-such-id").expect(404);
    const after = await scrape(app);

    const route = { surface: "scim", method: "GET", route: "/scim/v2/Users/:id" };
    expect(requestsCounted(after, { ...route, status: "200" }) - requestsCounted(before, { ...route, status: "200" })).toBe(1);
    expect(requestsCounted(after, { ...route, status: "404" }) - requestsCounted(before, { ...route, status: "404" })).toBe(1);
    expect(requestsCounted(after, { surface: "scim", method: "POST", route: "/scim/v2/Users", status: "201" })).toBeGreaterThanOrEqual(1);
    // The path's id is not a label value: it is the route template.
    expect(JSON.stringify(after)).not.toContain(created.body.id);

    const durations = family(after, "scim_http_request_duration_seconds");
    expect(durations.type).toBe("HISTOGRAM");
    expect(observations(after.text, "scim_http_request_duration_seconds", route) - observations(before.text, "scim_http_request_duration_seconds", route)).toBe(2);
    expect(family(after, "scim_database_wait_seconds").type).toBe("HISTOGRAM");
    expect(observations(after.text, "scim_database_wait_seconds", {})).toBeGreaterThan(observations(before.text, "scim_database_wait_seconds", {}));
    for (const name of ["process_cpu_seconds_total", "process_resident_memory_bytes", "nodejs_eventloop_lag_seconds"]) family(after, name);
  });

  it("labels each compat API as its own surface, requests refused before routing by their route, and unknown paths as unmatched", async () => {
    const before = await scrape(app);
    await app.http().get("/compat/bytebase/v1/users").expect(401);
    await app.http().get("/events").expect(401);
    await app.http().get("/scim/v2/Groups/some-id");
    await app.http().get("/no/such/path/12345").expect(404);
    const after = await scrape(app);
    const delta = (labels: Record<string, string>) => requestsCounted(after, labels) - requestsCounted(before, labels);
    expect(delta({ surface: "bytebase", route: "/compat/bytebase/v1/users", status: "401" })).toBe(1);
    expect(delta({ surface: "scim", route: "/scim/v2/Groups/:id", status: "401" })).toBe(1);
    expect(delta({ surface: "events", route: "/events", status: "401" })).toBe(1);
    expect(delta({ surface: "other", route: "unmatched", status: "404" })).toBe(1);
    expect(JSON.stringify(after)).not.toContain("12345");
  });

  it("has no tenant label unless it is enabled", async () => {
    const families = await scrape(app);
    expect(family(families, "scim_http_requests_total").metrics.every((metric) => !("tenant" in (metric.labels ?? {})))).toBe(true);
  });
});

describe("GET /metrics with METRICS_TOKEN and METRICS_TENANT_LABEL", () => {
  let app: TestApp;
  const token = "a-metrics-token-of-some-length";
  beforeAll(async () => {
    app = await startTestApp({ METRICS_TOKEN: token, METRICS_TENANT_LABEL: "true" });
  });
  afterAll(() => app.close());

  it("answers 401 without the token or with another, and the metrics with it", async () => {
    const missing = await app.http().get("/metrics").expect(401);
    expect(missing.headers["www-authenticate"]).toBe('Bearer realm="metrics"');
    expect(missing.text).not.toContain("scim_http_requests_total");
    await app.http().get("/metrics").set("Authorization", "Bearer another-token-entirely").expect(401);
    await scrape(app, token);
  });

  it("labels requests with the tenant's name", async () => {
    const scim = await app.client("labelled-tenant");
    await scim.get("/Users").expect(200);
    const families = await scrape(app, token);
    expect(requestsCounted(families, { tenant: "labelled-tenant", route: "/scim/v2/Users", status: "200" })).toBe(1);
  });
});
