import { useMemo, useState } from "preact/hooks";
import { query, tenantPath, type Activity as ActivityAnswer, type Client } from "../api.ts";
import { Chart, type Line } from "../chart.tsx";
import { useLoad } from "../load.ts";
import { navigate, withQuery } from "../router.tsx";
import { ErrorNotice, Loading, TableBox } from "../widgets.tsx";
import { clientNames } from "./log.tsx";

const ranges = {
  hour: { label: "last hour, by minute", seconds: 3600, bucket: "minute" },
  day: { label: "last 24 hours, by hour", seconds: 86_400, bucket: "hour" },
  week: { label: "last 7 days, by hour", seconds: 604_800, bucket: "hour" },
} as const;

type Range = keyof typeof ranges;

// Requests in cool colours, errors in warm ones (and dashed), one pair per client.
const colors: Record<Client, { readonly requests: string; readonly errors: string }> = {
  okta: { requests: "#1662dd", errors: "#c5221f" },
  entra: { requests: "#8a3ffc", errors: "#e37400" },
  other: { requests: "#3d7a5c", errors: "#a3145c" },
};
const fallbackColors = { requests: "#5c6670", errors: "#b42318" };
const clientOrder: readonly Client[] = ["okta", "entra", "other"];

// Requests and errors over time, per client, from /activity.
export function Activity(props: { readonly tenant: string; readonly location: URL }) {
  const asked = props.location.searchParams.get("range");
  const range: Range = asked === "day" || asked === "week" ? asked : "hour";
  const [round, setRound] = useState(0);
  // The start of the period is fixed when the range is chosen or refreshed, not at every render.
  const since = useMemo(() => Math.floor(Date.now() / 1000) - ranges[range].seconds, [range, round]);
  const bucket = ranges[range].bucket;
  const activity = useLoad<ActivityAnswer>(tenantPath(props.tenant, `/activity${query({ since: new Date(since * 1000).toISOString(), bucket })}`));
  const series = useMemo(() => (activity.data ? chartSeries(activity.data, since, bucket === "minute" ? 60 : 3600) : undefined), [activity.data, since, bucket]);
  return (
    <>
      <h2 class="page-title" tabIndex={-1}>
        Activity
      </h2>
      <div class="inline-form">
        <div class="field">
          <label for="activity-range">Period</label>
          <select id="activity-range" value={range} onChange={(event) => navigate(withQuery(props.location, { range: event.currentTarget.value === "hour" ? "" : event.currentTarget.value }))}>
            {(Object.keys(ranges) as Range[]).map((name) => (
              <option key={name} value={name}>
                {ranges[name].label}
              </option>
            ))}
          </select>
        </div>
        <button type="button" onClick={() => setRound((value) => value + 1)}>
          Refresh
        </button>
      </div>
      <ErrorNotice error={activity.error} />
      <Loading when={activity.loading && activity.data === undefined} />
      {series ? (
        <figure class="activity">
          <Chart title={`Requests and errors (dashed) per ${bucket}`} times={series.times} lines={series.lines} />
          <figcaption>
            <TableBox label="Totals per client">
              <caption>Totals for the {ranges[range].label.replace(/, by \w+$/, "")}</caption>
              <thead>
                <tr>
                  <th scope="col">Client</th>
                  <th scope="col">Requests</th>
                  <th scope="col">Errors</th>
                </tr>
              </thead>
              <tbody>
                {series.totals.map((total) => (
                  <tr key={total.client}>
                    <th scope="row">{clientNames[total.client] ?? total.client}</th>
                    <td class="number">{total.requests}</td>
                    <td class="number">{total.errors}</td>
                  </tr>
                ))}
                {series.totals.length === 0 ? (
                  <tr>
                    <td colSpan={3} class="empty">
                      No request in this period.
                    </td>
                  </tr>
                ) : null}
              </tbody>
            </TableBox>
          </figcaption>
        </figure>
      ) : null}
    </>
  );
}

// Every bucket of the period, empty ones at zero, so the lines do not jump over quiet minutes.
function chartSeries(activity: ActivityAnswer, since: number, step: number) {
  const start = Math.floor(since / step) * step;
  const end = Math.floor(Date.now() / 1000 / step) * step;
  const times: number[] = [];
  for (let time = start; time <= end; time += step) times.push(time);
  const present = new Set(activity.data.map((row) => row.client));
  const clients = [...clientOrder.filter((client) => present.has(client)), ...[...present].filter((client) => !clientOrder.includes(client))];
  const totals = clients.map((client) => ({ client, requests: 0, errors: 0 }));
  const requests = clients.map(() => times.map(() => 0));
  const errors = clients.map(() => times.map(() => 0));
  for (const row of activity.data) {
    const which = clients.indexOf(row.client);
    const at = Math.round((Math.floor(new Date(row.at).getTime() / 1000) - start) / step);
    totals[which].requests += row.requests;
    totals[which].errors += row.errors;
    if (at < 0 || at >= times.length) continue;
    requests[which][at] += row.requests;
    errors[which][at] += row.errors;
  }
  const lines: Line[] = clients.flatMap((client, index) => [
    { label: `${clientNames[client] ?? client} requests`, color: (colors[client] ?? fallbackColors).requests, dashed: false, values: requests[index] },
    { label: `${clientNames[client] ?? client} errors`, color: (colors[client] ?? fallbackColors).errors, dashed: true, values: errors[index] },
  ]);
  return { times, lines, totals };
}
