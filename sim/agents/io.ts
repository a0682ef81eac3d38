// The only way an agent touches the world: observe signals and knobs (each read is recorded,
// so the engine knows which events the decision depended on) and emit commands.
import type { SignalName } from "../model/signals.js";
import type { ComponentSpec } from "../scenario/types.js";

/** A request to set one knob. The engine validates it, passes it through the scenario's
 * coordination policies, and logs it as applied, rejected, held or duplicate. */
export interface AgentCommand {
  target: string;
  knob: string;
  value: number;
  /** One sentence naming what was observed, e.g. "web.latencyMsP95 = 140ms > 80ms". */
  reason: string;
  /**
   * Fencing token: the knob version this write is based on (from `knobVersion`). With the
   * compareAndSet policy on, the write is rejected if the knob has moved on since.
   */
  expectedVersion?: number;
  /**
   * The knob version the decision was based on, logged as `readVersion` on the write so the
   * lost-update detector can tell a stale write; unlike `expectedVersion`, no policy checks it.
   */
  readVersion?: number;
  /**
   * Log records read in an EARLIER step that this command is based on (e.g. what an enactor
   * checked before its apply latency, from `causesSoFar()`): added to the command's causes.
   */
  basis?: readonly number[];
  /** With the idempotency policy on, a second command with the same key is logged as a duplicate and not applied. */
  idempotencyKey?: string;
}

/** A request to store a new version of a document, or to delete one version. */
export interface DocumentCommand {
  op: "put" | "delete";
  /** The documentStore component. */
  target: string;
  document: string;
  /** put: the content of the new version. */
  rows?: number;
  sizeBytes?: number;
  schema?: string;
  /** delete: the version to delete. */
  version?: number;
  reason: string;
  /** put: the latest version this write is based on (compare-and-set). */
  expectedVersion?: number;
  idempotencyKey?: string;
}

/** What an agent sees of one document version. */
export interface DocumentView {
  version: number;
  rows: number;
  sizeBytes: number;
  schema: string;
}

/** An intent another agent published: "I am about to set target.knob to value". */
export interface PublishedIntent {
  actor: string;
  target: string;
  knob: string;
  value: number;
  untilMs: number;
  seq: number;
}

/** Observation and command API handed to an agent's guards and actions. */
export interface AgentIO {
  readonly agentId: string;
  /** Current simulated time in ms. */
  now(): number;
  /** Reads a signal and records its provenance as a cause of the current decision. */
  signal(component: string, name: SignalName): number;
  /** Reads a knob and records the event that last wrote it as a cause. */
  knob(component: string, knob: string): number;
  /** Static description of a component (its kind, targets, bounds). */
  component(id: string): ComponentSpec;
  /** Queues a command; the engine applies it when the agent's current step returns. */
  command(command: AgentCommand): void;
  /** Version of a knob: how many times it has been written (0 = initial). Records the writer as a cause. */
  knobVersion(component: string, knob: string): number;
  /** Uniform [0, 1) from this agent's own seeded stream. */
  random(): number;
  /**
   * Publishes an intent to change a knob, visible to other agents until `ttlMs` from now when
   * the scenario turns the intents policy on (logged as `intent.published`); a no-op otherwise.
   */
  publishIntent(target: string, knob: string, value: number, ttlMs: number, reason: string): void;
  /** Live intents on a knob published by other agents (empty unless the intents policy is on). Records them as causes. */
  intents(target: string, knob: string): PublishedIntent[];
  /** The agent holding the lease on a knob, or null (always null unless the lease policy is on). */
  leaseHolder(target: string, knob: string): string | null;
  /** A version of a document (the latest when omitted), or null. Records the event that wrote it as a cause. */
  document(store: string, name: string, version?: number): DocumentView | null;
  /** The live version numbers of a document, ascending. Records the document's last put/delete as a cause. */
  documentVersions(store: string, name: string): number[];
  /** The version number the next put of a document will get (numbers are never reused, so this is exact). Pure read. */
  documentNextVersion(store: string, name: string): number;
  /** Queues a document put or delete; applied like a command when the agent's step returns. */
  documentCommand(command: DocumentCommand): void;
  /**
   * The log records this step has read so far (ascending): what an agent keeps in its context
   * when it acts in a later step, and sends back as a command's `basis`. Pure read.
   */
  causesSoFar(): number[];
  /**
   * Writes an annotation to the log now (`agent.logged`, data message and level), caused by what
   * this step has read so far. Changes nothing in the world.
   */
  annotate(message: string, level: "info" | "warn"): void;
  /**
   * Sends `rps` requests per second to component `to` from the next world step for `forMs`, through
   * the same load path as a workload; logged now as `load.sent` (caused by this step's reads) and
   * as `load.ended` when it stops. A rate that is not finite is sent as 0 (and logs nothing); the
   * engine clamps it to the scenario budget (RATE_RPS_MAX).
   */
  sendLoad(to: string, rps: number, forMs: number, reason: string): void;
}

/** Formats a number for reasons: whole numbers as-is, others with up to 3 significant decimals. */
export function show(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toFixed(3);
}
