// Expectations after resolving: typed, with units parsed and the file position of each, so a
// failing one can be annotated at its line. Results say what was observed next to what was expected.
import type { FindingKind } from "../detect/finding.js";

export type Operator = "<" | "<=" | ">" | ">=" | "==" | "!=";

export interface Comparison {
  op: Operator;
  value: number;
}

/** A closed-open window of simulated time [fromMs, toMs). */
export interface TimeWindow {
  fromMs: number;
  toMs: number;
}

export type Aggregator = { kind: "avg" | "min" | "max" | "med" | "last" } | { kind: "p"; percentile: number };

/** How a threshold's metric is read from telemetry. */
export type Metric =
  /** Request latency over the window, from the per-sample p50/p95/p99 (ms). */
  | { kind: "latency" }
  /** Share of requests that succeeded (load-weighted), or failed for `errorRate`. */
  | { kind: "availability" }
  | { kind: "errorRate" }
  /** One raw signal's samples. */
  | { kind: "signal"; signal: string }
  /** A group aggregate's samples (`sum.replicas`, `fraction.unavailable`; sim/model/groups.ts), read by the group id. */
  | { kind: "aggregate"; name: string }
  /** A knob that is not a signal (`weight.web-a`, `rollout`), its values folded from the log (sim/assert/knob-series.ts). */
  | { kind: "knob"; knob: string };

interface Located {
  /** Label in reports: the `name:` field or the expectation in words. */
  name: string;
  /** 1-based position of the expectation in the scenario file (0 when unknown). */
  line: number;
  col: number;
}

export type Expectation = Located &
  (
    | { kind: "finding"; finding: FindingKind; mustOccur: boolean; knob?: string; actors?: string[]; window?: TimeWindow }
    | { kind: "threshold"; text: string; component: string; metric: Metric; aggregator?: Aggregator; comparison: Comparison; unit: "ms" | "ratio" | "number"; window?: TimeWindow }
    | { kind: "cascadeDepth"; comparison: Comparison }
    | { kind: "cost"; comparison: Comparison; component?: string; window?: TimeWindow }
    | { kind: "rejected"; comparison: Comparison; knob?: string; actor?: string; policy?: string }
    /** Log records of one type, filtered by actor, target, data fields and time, counted. */
    | ({ kind: "event"; comparison: Comparison; window?: TimeWindow; after?: Relative; neverMatches?: string } & EventMatcher)
    | { kind: "state"; component: string; mode: "never" | "always"; state: "healthy" | "unhealthy" | "unavailable" | "degraded"; window?: TimeWindow }
    /**
     * An agent's machine states (from the run's state trace): `entered` counts entries into the
     * state (stays of at least `minStayMs`), `never` fails on any such stay.
     */
    | ({ kind: "agentState"; mode: "entered" | "never"; comparison: Comparison; minStayMs: number; window?: TimeWindow; after?: Relative } & AgentStateMatcher)
  );

/** Log records of one type, filtered by actor, target and data fields. */
export interface EventMatcher {
  event: string;
  actor?: string;
  target?: string;
  data?: Record<string, string | number | boolean>;
  /** A CEL condition over `event` each matching record must satisfy (sim/assert/where.ts). */
  where?: string;
}

/** An agent's stays in one state (a name at any depth, or a dotted path). */
export interface AgentStateMatcher {
  agent: string;
  state: string;
}

/**
 * Relative timing: every occurrence of the trigger (a record, or an entry into an agent state)
 * must be followed by matches in [t + fromMs, t + toMs] (both ends included).
 */
export interface Relative {
  trigger: Trigger;
  fromMs: number;
  toMs: number;
}

/** What relative timing waits for, with the words reports use for it. */
export type Trigger = { words: string; window?: TimeWindow; minStayMs?: number; neverMatches?: string } & ({ kind: "event"; matcher: EventMatcher } | { kind: "agentState"; matcher: AgentStateMatcher });

/** The outcome of one expectation. */
export interface ExpectationResult {
  name: string;
  kind: Expectation["kind"];
  passed: boolean;
  /** What the run showed, in words with units. */
  observed: string;
  /** What the expectation asked for, in words with units. */
  expected: string;
  line: number;
  col: number;
  /** Log seqs that show the observation (e.g. a finding's witnesses), when there are any. */
  witnesses: number[];
  /**
   * Set on a pass that proves nothing, saying why: a `== 0` / `never` whose matcher could never
   * match anything this scenario logs, or relative timing whose trigger never occurred.
   */
  vacuous?: string;
}

/** True when `observed op value`. Pure. */
export function compare(observed: number, c: Comparison): boolean {
  switch (c.op) {
    case "<":
      return observed < c.value;
    case "<=":
      return observed <= c.value;
    case ">":
      return observed > c.value;
    case ">=":
      return observed >= c.value;
    case "==":
      return observed === c.value;
    case "!=":
      return observed !== c.value;
  }
}
