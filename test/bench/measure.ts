import { readFileSync } from "node:fs";
import autocannon from "autocannon";
import type { RequestSpec } from "./workloads.ts";

// One timed run of one workload against one server: autocannon sends the requests over loopback,
// every response time is kept (autocannon's own histogram counts whole milliseconds), and the
// server's resident set is sampled from /proc while the run lasts.

export interface Target {
  readonly name: "ours" | "baseline";
  readonly url: string;
  readonly token: string;
  readonly pid: number;
  // With several server processes (--workers), each of them; the figures are their sums.
  readonly pids?: readonly number[];
}

const processesOf = (target: Target) => target.pids ?? [target.pid];
// CPU of every process, and of each one's main thread (the one that serves requests).
const targetCpu = (target: Target) => processesOf(target).reduce((sum, pid) => sum + cpuSeconds(pid), 0);
const servingCpu = (target: Target) => processesOf(target).reduce((sum, pid) => sum + cpuSeconds(pid, pid), 0);
export const targetResident = (target: Target, field: "VmRSS" | "VmHWM") =>
  processesOf(target).reduce((sum, pid) => sum + residentBytes(pid, field), 0);

export interface RunOptions {
  readonly seconds: number;
  readonly connections: number;
  // Ends the run after this many requests instead of after `seconds`.
  readonly amount?: number;
}

export interface Measurement {
  readonly requests: number;
  // The time the requests took: the run's length, or until the last answer of a run by amount.
  readonly seconds: number;
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly non2xx: number;
  readonly errors: number;
  // The largest resident set seen during the run, in bytes.
  readonly peakRss: number;
  // The server's CPU time (user and system, all its threads) while the run lasted, in seconds.
  readonly cpuSeconds: number;
  // The same, of its main thread alone: the one that serves requests.
  readonly servingCpuSeconds: number;
  // Every response time, in milliseconds, sorted.
  readonly latencies: readonly number[];
}

// Several runs of one workload against one server as if they were one.
export function combine(runs: readonly Measurement[]): Measurement {
  const latencies = runs.flatMap((run) => run.latencies).sort((x, y) => x - y);
  const requests = runs.reduce((sum, run) => sum + run.requests, 0);
  const seconds = runs.reduce((sum, run) => sum + run.seconds, 0);
  return {
    requests,
    seconds,
    perSecond: requests / seconds,
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    non2xx: runs.reduce((sum, run) => sum + run.non2xx, 0),
    errors: runs.reduce((sum, run) => sum + run.errors, 0),
    peakRss: Math.max(...runs.map((run) => run.peakRss)),
    cpuSeconds: runs.reduce((sum, run) => sum + run.cpuSeconds, 0),
    servingCpuSeconds: runs.reduce((sum, run) => sum + run.servingCpuSeconds, 0),
    latencies,
  };
}

export async function measure(target: Target, next: () => RequestSpec, options: RunOptions): Promise<Measurement> {
  const latencies: number[] = [];
  let peakRss = targetResident(target, "VmRSS");
  const sampler = setInterval(() => {
    peakRss = Math.max(peakRss, targetResident(target, "VmRSS"));
  }, 100);
  const headers = {
    authorization: `Bearer ${target.token}`,
    accept: "application/scim+json",
    "content-type": "application/scim+json",
  };
  const cpuAtStart = targetCpu(target);
  const servingCpuAtStart = servingCpu(target);
  try {
    const result = await new Promise<autocannon.Result>((resolve, reject) => {
      const instance = autocannon(
        {
          url: target.url,
          connections: options.connections,
          ...(options.amount === undefined ? { duration: options.seconds } : { amount: options.amount }),
          timeout: 120,
          headers,
          requests: [{ setupRequest: (request) => ({ ...request, ...next() }) }],
        },
        (error, result) => (error ? reject(error) : resolve(result)),
      );
      instance.on("response", (_client, _status, _bytes, responseTime) => latencies.push(responseTime));
    });
    const cpu = targetCpu(target) - cpuAtStart;
    const serving = servingCpu(target) - servingCpuAtStart;
    latencies.sort((x, y) => x - y);
    const completed = result.requests.total;
    const seconds = options.amount === undefined ? options.seconds : result.duration;
    return {
      requests: completed,
      seconds,
      perSecond: completed / seconds,
      p50: percentile(latencies, 0.5),
      p99: percentile(latencies, 0.99),
      non2xx: result.non2xx,
      errors: result.errors,
      peakRss: Math.max(peakRss, targetResident(target, "VmRSS")),
      cpuSeconds: cpu,
      servingCpuSeconds: serving,
      latencies,
    };
  } finally {
    clearInterval(sampler);
  }
}

export function percentile(sorted: readonly number[], fraction: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)] as number;
}

// utime + stime of /proc/<pid>/stat (every thread of the process), in clock ticks of 1/100 s;
// of one thread with `thread`, its id (the main thread's is the process's).
export function cpuSeconds(pid: number, thread?: number): number {
  try {
    const stat = readFileSync(thread === undefined ? `/proc/${pid}/stat` : `/proc/${pid}/task/${thread}/stat`, "utf8");
    // The fields after the command name, which is in parentheses and may hold spaces.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

// VmRSS: resident now; VmHWM: the most it has been since the process started.
export function residentBytes(pid: number, field: "VmRSS" | "VmHWM"): number {
  try {
    const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, "m").exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}
