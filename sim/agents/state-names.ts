// The states of an agent's machine, read from the machine itself (built-in agents and statechart
// agents alike), so expectations about agent states are checked against what can actually run.
import type { AnyStateMachine } from "xstate";
import type { AgentSpec, ComponentSpec } from "../scenario/types.js";
import type { AgentIO } from "./io.js";
import { createAgentMachine } from "./registry.js";

/**
 * Every state path of `spec`'s machine (`idle`, `active`, `active.scaling`), in definition order.
 * Builds the machine with an IO that can only look up components (what some agents check when
 * they are built); nothing runs. Pure.
 */
export function agentStatePaths(spec: AgentSpec, components: readonly ComponentSpec[]): string[] {
  const io = new Proxy({} as AgentIO, {
    get: (_target, key) =>
      key === "component"
        ? (id: string) => components.find((c) => c.id === id)
        : () => {
            throw new Error(`agent ${spec.id}: io.${String(key)} called while only listing states`);
          },
  });
  const paths: string[] = [];
  const walk = (node: AnyStateMachine["root"], prefix: string) => {
    for (const [key, child] of Object.entries(node.states)) {
      const path = prefix === "" ? key : `${prefix}.${key}`;
      paths.push(path);
      walk(child, path);
    }
  };
  walk(createAgentMachine(spec, io).root, "");
  return paths;
}

/**
 * The active state paths of a recorded state value: the engine records a string (`idle`) or, for
 * nested states, the JSON of XState's value (`{"active":"scaling"}` -> active, active.scaling). Pure.
 */
export function activeStatePaths(value: string): string[] {
  if (!value.startsWith("{")) return [value];
  const paths: string[] = [];
  const walk = (v: unknown, prefix: string) => {
    if (typeof v === "string") paths.push(prefix === "" ? v : `${prefix}.${v}`);
    else if (v && typeof v === "object") {
      for (const [key, child] of Object.entries(v)) {
        const path = prefix === "" ? key : `${prefix}.${key}`;
        paths.push(path);
        walk(child, path);
      }
    }
  };
  walk(JSON.parse(value) as unknown, "");
  return paths;
}

/** True when `state` (a name at any depth, or a dotted path) is among `paths`. Pure. */
export function stateMatches(state: string, paths: readonly string[]): boolean {
  return paths.some((p) => p === state || p.endsWith(`.${state}`));
}
