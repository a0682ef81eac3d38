// The contract between the command pipeline and coordination policies: a policy looks at one
// command in context and allows it, rejects it with a reason, or holds it until a later time.
import type { AgentCommand } from "../../agents/io.js";

/** What a policy decides about one command. */
export type Verdict =
  | { kind: "allow" }
  | { kind: "reject"; policy: string; reason: string; causes?: number[] }
  | { kind: "hold"; policy: string; reason: string; untilMs: number; causes?: number[] }
  | { kind: "duplicate"; policy: string; reason: string; firstSeq: number };

export const ALLOW: Verdict = Object.freeze({ kind: "allow" });

/**
 * A policy that lets a command through with another value (a velocity clip, an arbiter's merge):
 * later policies judge the adjusted value, and the applied record keeps the requested one.
 */
export type Adjustment = { kind: "adjust"; policy: string; reason: string; value: number; causes?: number[] };

/** Health of one component as policies see it: down when unhealthy or with nothing available. */
export interface ComponentHealth {
  down: boolean;
  /** Seq of the component's last `health.changed` event, or -1. */
  seq: number;
}

/** What a policy may read about the command and the world when deciding. */
export interface CommandContext {
  now: number;
  actor: string;
  command: AgentCommand;
  /** `component.knob` of the command. */
  knobKey: string;
  /** Current value and version of the knob (the command was already validated against the world). */
  current: number;
  version: number;
  /** True when this command already waited out an approval hold and is being re-evaluated. */
  reviewed: boolean;
  /** For document puts: the content of the new version (validation reads it). */
  content?: { rows: number; sizeBytes: number; schema: string };
  /** Current value of another knob of the world, or undefined when it has no such knob (stagedRollout reads a consumer's rollout). */
  knobValue?: (target: string, knob: string) => number | undefined;
  /** Health of a component, or undefined when there is no such component (failStatic reads it). */
  componentHealth?: (id: string) => ComponentHealth | undefined;
  /** Reads a knob of a component (when it has one by that name) or else a signal, adding the records it came from to `causes`; NaN for an unknown name (the veto reads through it). */
  readValue?: (id: string, name: string, causes: Set<number>) => number;
  /** When this command was first held by a policy, if it was (failStatic bounds its holds). */
  heldSinceMs?: number;
  /** "set" for knobs; "put"/"delete" for documents (knobKey is then `store.document`, value the version). */
  op: "set" | "put" | "delete";
}

/** A coordination policy: stateful across a run, consulted in pipeline order. */
export interface CommandPolicy {
  readonly name: string;
  check(ctx: CommandContext): Verdict | Adjustment;
  /** Called after a command passed every policy and was logged as event `seq`. */
  applied?(ctx: CommandContext, seq: number): void;
}
