// The ShiViz export: line 1 is the parser regex and it matches every event pair, hosts count
// their events 1, 2, 3... as ShiViz requires, and the vector clocks respect every cause edge.
import { describe, expect, it } from "vitest";
import { EventLog } from "../../sim/log/chain.js";
import { SHIVIZ_REGEX, shivizEvents, toShiVizLog, type ShiVizEvent } from "../../sim/export/shiviz.js";
import { checkedRun, exportInput, type CheckedRun } from "./runs.js";

const runs: [string, CheckedRun][] = [
  ["cost-vs-performance blind", checkedRun("scenarios/cost-vs-performance.yaml", "blind")],
  ["cost-vs-performance coordinated", checkedRun("scenarios/cost-vs-performance.yaml", "coordinated")],
  ["first-scenario brownout", checkedRun("docs/examples/first-scenario.yaml", "brownout")],
  ["nlb sketch", checkedRun("test/incidents/nlb-sketch.yaml")],
  ["dynamodb-dns-race blind", checkedRun("scenarios/dynamodb-dns-race.yaml", "blind")],
];

/** a <= b componentwise (missing entries are 0). */
function leq(a: Record<string, number>, b: Record<string, number>): boolean {
  return Object.keys(a).every((h) => a[h] <= (b[h] ?? 0));
}

/** Parses a ShiViz file the way ShiViz does: the regex from line 1 applied with the `m` flag, globally, over the rest. */
function parseLikeShiViz(text: string): { host: string; clock: Record<string, number>; event: string }[] {
  const lines = text.split("\n");
  const regex = new RegExp(lines[0], "gm");
  const body = lines.slice(2).join("\n").trim();
  return [...body.matchAll(regex)].map((m) => ({ host: m.groups!.host, clock: JSON.parse(m.groups!.clock) as Record<string, number>, event: m.groups!.event }));
}

describe("ShiViz export", () => {
  it.each(runs)("%s: the regex on line 1 matches every event pair, in order", (_name, c) => {
    const text = toShiVizLog(exportInput(c));
    const { events } = shivizEvents(exportInput(c));
    const lines = text.split("\n");
    expect(lines[0]).toBe(SHIVIZ_REGEX);
    expect(lines[1]).toBe("");
    expect(lines.length).toBe(2 + events.length * 2 + 1);
    expect(text.endsWith("\n")).toBe(true);
    const parsed = parseLikeShiViz(text);
    expect(parsed).toHaveLength(events.length);
    parsed.forEach((p, i) => {
      expect(p.host).toBe(events[i].host);
      expect(p.clock).toEqual(events[i].clock);
      expect(p.event).toBe(events[i].description);
    });
  });

  it.each(runs)("%s: every host counts its events 1, 2, 3... and every clock names only known events", (_name, c) => {
    const { events, hosts } = shivizEvents(exportInput(c));
    const count = new Map<string, number>();
    for (const e of events) {
      count.set(e.host, (count.get(e.host) ?? 0) + 1);
      expect(e.clock[e.host]).toBe(count.get(e.host));
      for (const [h, n] of Object.entries(e.clock)) {
        expect(hosts).toContain(h);
        expect(n).toBeGreaterThanOrEqual(1);
        expect(n).toBeLessThanOrEqual(count.get(h) ?? 0);
      }
    }
  });

  it.each(runs)("%s: a cause's clock is strictly below its effect's, for every cause edge", (_name, c) => {
    const { events } = shivizEvents(exportInput(c));
    const bySeq = new Map<number, ShiVizEvent>(events.map((e) => [e.seq, e]));
    let edges = 0;
    for (const r of c.run.log) {
      const effect = bySeq.get(r.seq);
      if (!effect) {
        expect(r.actor).toBe("engine");
        continue;
      }
      for (const cause of r.causes) {
        const before = bySeq.get(cause);
        if (!before) continue;
        expect(leq(before.clock, effect.clock)).toBe(true);
        expect(leq(effect.clock, before.clock)).toBe(false);
        edges++;
      }
    }
    if (c.run.log.some((r) => r.actor !== "engine" && r.causes.some((x) => x > 0))) expect(edges).toBeGreaterThan(0);
  });

  it("names the hosts after the actors, skipping the engine", () => {
    const c = runs[2][1];
    const { hosts, events } = shivizEvents(exportInput(c));
    expect(hosts).toEqual(["db-brownout", "edge", "web", "db"]);
    expect(events.map((e) => e.seq)).toEqual(c.run.log.filter((r) => r.actor !== "engine").map((r) => r.seq));
    expect(events[0].description).toMatch(/^#1 00:20:00 fault\.started: /);
  });

  it("keeps a causally closed prefix when capped, and is deterministic", () => {
    const c = runs[3][1];
    const capped = shivizEvents(exportInput(c), { maxEvents: 50 });
    expect(capped.events).toHaveLength(50);
    expect(capped.omitted).toBe(c.run.log.filter((r) => r.actor !== "engine").length - 50);
    expect(toShiVizLog(exportInput(c))).toBe(toShiVizLog(exportInput(checkedRun("test/incidents/nlb-sketch.yaml"))));
  });

  it("keeps descriptions and hosts on one line each, whatever the actor and reason say", () => {
    const log = new EventLog();
    log.append({ t: 0, type: "replicas.scaled", actor: "my agent", target: "web", data: { knob: "replicas", from: 1, to: 2, reason: "line one\nweb {\"x\":1}\r\nline three" }, causes: [] });
    log.append({ t: 5, type: "replicas.scaled", actor: "other", target: "web", data: { knob: "replicas", from: 2, to: 1, reason: "undo" }, causes: [0] });
    const text = toShiVizLog({ log: log.all() });
    const parsed = parseLikeShiViz(text);
    expect(parsed.map((p) => p.host)).toEqual(["my_agent", "other"]);
    expect(parsed[1].clock).toEqual({ other: 1, my_agent: 1 });
    expect(text.split("\n")).toHaveLength(2 + 4 + 1);
  });
});
