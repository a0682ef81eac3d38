// A run as a ShiViz log (https://github.com/DistributedClocks/shiviz): one host per actor, one
// vector clock per event computed from the log's causes, so ShiViz draws the agents' space-time
// diagram with an arrow for every cause that crosses actors. Pure and deterministic.
import { formatTime } from "../core/units.js";
import type { EventRecord } from "../log/record.js";
import { describeRecord, oneLine } from "./describe.js";

/**
 * The parser regular expression (ShiViz's default): an event is a description line followed by
 * a line `host {"host": n, ...}`. It is line 1 of the file `toShiVizLog` writes.
 */
export const SHIVIZ_REGEX = String.raw`(?<event>.*)\n(?<host>\S*) (?<clock>{.*})`;

/** By default at most this many events are exported: ShiViz slows to a crawl beyond a few thousand. */
export const SHIVIZ_EVENTS_MAX = 5000;

export interface ShiVizEvent {
  seq: number;
  host: string;
  /** Vector clock: host -> number of that host's events this event knows of (own entry included). */
  clock: Record<string, number>;
  /** One line: `#seq hh:mm:ss type: what (caused by #a #b)`. */
  description: string;
}

export interface ShiVizExport {
  regex: string;
  /** Hosts in order of their first event. */
  hosts: string[];
  events: ShiVizEvent[];
  /** Events left out after `maxEvents` (the export is a prefix of the log, so it stays causally closed). */
  omitted: number;
}

export interface ShiVizOptions {
  /** Export at most this many events (default SHIVIZ_EVENTS_MAX). */
  maxEvents?: number;
}

/**
 * The events ShiViz shows, with their hosts and vector clocks. Pure.
 *
 * Hosts are the records' actors: agents, faults (`fault.started`/`fault.ended`), workloads and
 * components (their `health.changed`). Records of the `engine` actor (run markers) are left out,
 * and causes pointing at them are ignored. An event's clock is the componentwise maximum of its
 * host's previous clock and its causes' clocks, plus one on its own host, so each host counts
 * 1, 2, 3... (ShiViz requires exactly that) and every cause happens-before its effect. Host names
 * have whitespace replaced by `_` (the regex reads the host up to the first space).
 */
export function shivizEvents(input: { log: readonly EventRecord[] }, options: ShiVizOptions = {}): ShiVizExport {
  const maxEvents = options.maxEvents ?? SHIVIZ_EVENTS_MAX;
  const hosts: string[] = [];
  const lastClock = new Map<string, Record<string, number>>();
  const clockOfSeq = new Map<number, Record<string, number>>();
  const events: ShiVizEvent[] = [];
  let omitted = 0;
  for (const r of input.log) {
    if (r.actor === "engine") continue;
    if (events.length >= maxEvents) {
      omitted++;
      continue;
    }
    const host = hostName(r.actor);
    if (!lastClock.has(host)) {
      hosts.push(host);
      lastClock.set(host, {});
    }
    const merged: Record<string, number> = { ...lastClock.get(host)! };
    for (const c of r.causes) {
      const causeClock = clockOfSeq.get(c);
      if (!causeClock) continue;
      for (const h in causeClock) if ((merged[h] ?? 0) < causeClock[h]) merged[h] = causeClock[h];
    }
    merged[host] = (merged[host] ?? 0) + 1;
    // Own host first, then the others in order of first appearance: stable bytes for a run.
    const clock: Record<string, number> = { [host]: merged[host] };
    for (const h of hosts) if (h !== host && merged[h] !== undefined) clock[h] = merged[h];
    lastClock.set(host, clock);
    clockOfSeq.set(r.seq, clock);
    const causes = r.causes.filter((c) => clockOfSeq.has(c));
    events.push({
      seq: r.seq,
      host,
      clock,
      description: oneLine(`#${r.seq} ${formatTime(r.t)} ${r.type}: ${describeRecord(r)}${causes.length > 0 ? ` (caused by ${causes.map((c) => `#${c}`).join(" ")})` : ""}`),
    });
  }
  return { regex: SHIVIZ_REGEX, hosts, events, omitted };
}

/**
 * The ShiViz file: line 1 the parser regex, line 2 the (empty) multiple-executions delimiter,
 * then per event its description line and its `host {clock}` line; newline-terminated. Upload it
 * in ShiViz as a file, or paste line 1 into "log parsing regular expression" and lines 3.. into
 * the log box (docs/exports.md). Pure.
 */
export function toShiVizLog(input: { log: readonly EventRecord[] }, options: ShiVizOptions = {}): string {
  const { regex, events } = shivizEvents(input, options);
  const lines = [regex, ""];
  for (const e of events) lines.push(e.description, `${e.host} ${JSON.stringify(e.clock)}`);
  return `${lines.join("\n")}\n`;
}

function hostName(actor: string): string {
  const name = actor.replace(/\s+/g, "_");
  return name.length > 0 ? name : "_";
}
