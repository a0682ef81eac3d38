// The only way an agent touches the world: observe signals and knobs (each read is recorded,
// so the engine knows which events the decision depended on) and emit commands.
import type { SignalName } from "../model/signals.js";
import type { ComponentSpec } from "../scenario/types.js";

/** A request to set one knob. The engine validates it and logs it as applied or rejected. */
export interface AgentCommand {
  target: string;
  knob: string;
  value: number;
  /** One sentence naming what was observed, e.g. "web.latencyMsP95 = 140ms > 80ms". */
  reason: string;
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
}

/** Formats a number for reasons: whole numbers as-is, others with up to 3 significant decimals. */
export function show(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return Math.abs(value) >= 100 ? value.toFixed(0) : Math.abs(value) >= 1 ? value.toFixed(1) : value.toFixed(3);
}
