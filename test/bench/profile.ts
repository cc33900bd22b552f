import { existsSync, readFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { relative } from "node:path";
import { fileURLToPath } from "node:url";

// Summarises a .cpuprofile written by `npm run bench -- --cpu-prof`: self time by package (our
// src/ folders count as packages) and the functions with the most self time.
//
//   npx tsx test/bench/profile.ts /tmp/scim-bench-profiles/e.cpuprofile [top=25]

interface CallFrame {
  readonly functionName: string;
  readonly url: string;
  readonly lineNumber: number;
  readonly columnNumber: number;
}

interface ProfileNode {
  readonly id: number;
  readonly callFrame: CallFrame;
  readonly children?: readonly number[];
}

interface Profile {
  readonly nodes: readonly ProfileNode[];
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

const [file, topText] = process.argv.slice(2);
if (!file) {
  console.error("usage: npx tsx test/bench/profile.ts <file.cpuprofile> [top]");
  process.exit(2);
}
const top = Number(topText ?? 25);
const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
// The bench runs bundles (dist/bench/*.js); their frames are mapped back to the TypeScript
// sources through the bundle's source map.
const maps = new Map<string, SourceMap | undefined>();
function sourceMapOf(url: string): SourceMap | undefined {
  if (!maps.has(url)) {
    const path = url.startsWith("file://") ? fileURLToPath(url) : url;
    const mapFile = `${path}.map`;
    maps.set(url, path.includes("/dist/") && existsSync(mapFile) ? new SourceMap(JSON.parse(readFileSync(mapFile, "utf8"))) : undefined);
  }
  return maps.get(url);
}

function original(node: ProfileNode): ProfileNode {
  const map = node.callFrame.url ? sourceMapOf(node.callFrame.url) : undefined;
  if (!map) return node;
  const entry = map.findEntry(node.callFrame.lineNumber, node.callFrame.columnNumber) as { originalSource?: string; originalLine?: number };
  if (!entry.originalSource) return node;
  const source = entry.originalSource.startsWith("file://") ? entry.originalSource : new URL(entry.originalSource, node.callFrame.url).href;
  return { ...node, callFrame: { ...node.callFrame, url: source, lineNumber: entry.originalLine ?? 0 } };
}

const nodes = new Map(profile.nodes.map((node) => [node.id, original(node)]));

function packageOf({ callFrame: { url, functionName } }: ProfileNode): string {
  if (!url) return functionName.startsWith("(") ? functionName : "(native)";
  const dependency = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (dependency) return dependency[1] as string;
  const source = /\/src\/([^/]+)\//.exec(url);
  if (source) return `src/${source[1]}`;
  return url.startsWith("node:") ? "node internals" : url;
}

function nameOf({ callFrame: { url, functionName, lineNumber } }: ProfileNode): string {
  const where = url.replace(/^.*node_modules\//, "").replace(/^file:\/\//, "");
  const file = where.startsWith("/") ? relative(process.cwd(), where) : where;
  // Files that tsx compiled report line 0: their code is one line.
  return `${functionName || "(anonymous)"} ${file}${lineNumber > 0 ? `:${lineNumber + 1}` : ""}`;
}

const byPackage = new Map<string, number>();
const byFunction = new Map<string, number>();
let total = 0;
profile.samples.forEach((id, i) => {
  const node = nodes.get(id);
  const micros = profile.timeDeltas[i] ?? 0;
  if (!node) return;
  total += micros;
  byPackage.set(packageOf(node), (byPackage.get(packageOf(node)) ?? 0) + micros);
  byFunction.set(nameOf(node), (byFunction.get(nameOf(node)) ?? 0) + micros);
});
const idle = byPackage.get("(idle)") ?? 0;
const busy = total - idle;

function print(title: string, entries: Map<string, number>, count: number): void {
  console.log(`\n${title}`);
  for (const [name, micros] of [...entries].filter(([name]) => name !== "(idle)").sort((x, y) => y[1] - x[1]).slice(0, count)) {
    console.log(`${(micros / 1000).toFixed(0).padStart(8)} ms ${((100 * micros) / busy).toFixed(1).padStart(5)}%  ${name}`);
  }
}

console.log(`${file}: ${(total / 1000).toFixed(0)} ms sampled, ${(busy / 1000).toFixed(0)} ms busy (percentages are of busy time)`);
print("self time by package", byPackage, 15);
print("self time by function", new Map([...byFunction].filter(([name]) => !name.startsWith("(idle)"))), top);

// Time with callees, for our own functions: each sample counts once for every distinct function
// of src/ on its stack.
const parents = new Map<number, number>();
for (const node of profile.nodes) for (const child of node.children ?? []) parents.set(child, node.id);
const inclusive = new Map<string, number>();
profile.samples.forEach((id, i) => {
  const micros = profile.timeDeltas[i] ?? 0;
  const seen = new Set<string>();
  for (let at: number | undefined = id; at !== undefined; at = parents.get(at)) {
    const node = nodes.get(at);
    if (node && /\/src\//.test(node.callFrame.url) && !node.callFrame.url.includes("node_modules")) seen.add(nameOf(node));
  }
  for (const name of seen) inclusive.set(name, (inclusive.get(name) ?? 0) + micros);
});
print("time with callees, src/ functions", inclusive, top);
