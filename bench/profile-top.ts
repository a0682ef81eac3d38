// Summarizes a V8 .cpuprofile (from `node --cpu-prof dist-bench/bench/run.js --only ...`) as the
// functions with the most self time, so a benchmark miss can be explained without a GUI.
// Usage: node dist-bench/bench/profile-top.js FILE.cpuprofile [N]
import { readFileSync } from "node:fs";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number; columnNumber: number };
  hitCount?: number;
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

function main(): void {
  const [file, countText] = process.argv.slice(2);
  if (!file) {
    console.error("usage: node dist-bench/bench/profile-top.js FILE.cpuprofile [N]");
    process.exit(2);
  }
  const count = countText ? Number(countText) : 15;
  const profile = JSON.parse(readFileSync(file, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  // Self time per node: each sample's delta is charged to the node that was on top of the stack.
  const selfUs = new Map<number, number>();
  for (let i = 0; i < profile.samples.length; i++) {
    const id = profile.samples[i];
    selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0));
  }
  const byFunction = new Map<string, number>();
  const byArea = new Map<string, number>();
  let total = 0;
  for (const [id, us] of selfUs) {
    const f = byId.get(id)!.callFrame;
    const where = f.url ? `${shorten(f.url)}:${f.lineNumber + 1}` : "(native)";
    const key = `${f.functionName || "(anonymous)"}  ${where}`;
    byFunction.set(key, (byFunction.get(key) ?? 0) + us);
    const a = area(f.url, f.functionName);
    byArea.set(a, (byArea.get(a) ?? 0) + us);
    total += us;
  }
  const print = (title: string, entries: [string, number][]) => {
    console.log(`\n${title}\nself ms   self %  what`);
    for (const [key, us] of entries) console.log(`${(us / 1e3).toFixed(0).padStart(7)}  ${((100 * us) / total).toFixed(1).padStart(6)}%  ${key}`);
  };
  console.log(`total sampled ${(total / 1e3).toFixed(0)} ms`);
  print("self time by area", [...byArea.entries()].sort((a, b) => b[1] - a[1]));
  print(`top ${count} functions by self time`, [...byFunction.entries()].sort((a, b) => b[1] - a[1]).slice(0, count));
}

/** The package or source folder a frame belongs to: xstate, sim/engine, bench, GC, idle... */
function area(url: string, functionName: string): string {
  const pkg = /\/node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(url);
  if (pkg) return pkg[1];
  const src = /\/dist-bench\/(sim\/[^/]+|bench)\//.exec(url);
  if (src) return src[1];
  if (url.startsWith("node:")) return "node internals";
  return functionName ? `(${functionName.replace(/[()]/g, "")})` : "(native)";
}

function shorten(url: string): string {
  const i = url.indexOf("/node_modules/");
  if (i >= 0) return url.slice(i + 1);
  const j = url.indexOf("/dist-bench/");
  return j >= 0 ? url.slice(j + 1) : url.replace(/^file:\/\//, "");
}

main();
