// How an agent's command becomes log events: validated against the world, then recorded as the
// knob's change event (`replicas.scaled`, `weight.changed`, `knob.changed`) or as
// `command.rejected` with the reason. No NaN reaches the log: a non-finite value is rejected.
import type { AgentCommand } from "../agents/io.js";
import type { EventDraft, JsonValue } from "../log/record.js";
import type { World } from "../model/world.js";

/** The event type that records a change of `knob`. Pure. */
export function knobEventType(knob: string): string {
  if (knob === "replicas") return "replicas.scaled";
  if (knob.startsWith("weight.")) return "weight.changed";
  if (knob.startsWith("inService.")) return "inService.changed";
  if (knob === "plan") return "record.updated";
  if (knob === "cpuRequestMillicores") return "resources.resized";
  if (knob === "migrated") return "shards.migrated";
  if (knob === "version") return "config.deployed";
  if (knob === "rollout") return "rollout.changed";
  if (knob.startsWith("flag.")) return "flag.changed";
  return "knob.changed";
}

/** Outcome of checking a command: the draft to log, and whether it changes the world. */
export type CommandOutcome =
  | { kind: "apply"; draft: EventDraft }
  | { kind: "reject"; draft: EventDraft }
  | { kind: "unchanged" };

/** Turns a command into the event to log. Pure with respect to the world (reads only). */
export function decideCommand(world: World, agentId: string, command: AgentCommand, t: number, causes: number[]): CommandOutcome {
  const problem = world.checkKnob(command.target, command.knob, command.value);
  if (problem) {
    const value: JsonValue = Number.isFinite(command.value) ? command.value : String(command.value);
    return {
      kind: "reject",
      draft: {
        t,
        type: "command.rejected",
        actor: agentId,
        target: command.target,
        data: { knob: String(command.knob), value, policy: "validation", reason: problem, intent: String(command.reason) },
        causes,
      },
    };
  }
  const from = world.knob(command.target, command.knob);
  if (from === command.value) return { kind: "unchanged" };
  return {
    kind: "apply",
    draft: {
      t,
      type: knobEventType(command.knob),
      actor: agentId,
      target: command.target,
      data: {
        knob: command.knob,
        from,
        to: command.value,
        reason: command.reason,
        ...(command.expectedVersion !== undefined ? { expectedVersion: command.expectedVersion } : {}),
        ...(command.readVersion !== undefined ? { readVersion: command.readVersion } : {}),
        ...(command.idempotencyKey !== undefined ? { idempotencyKey: command.idempotencyKey } : {}),
      },
      causes,
    },
  };
}
