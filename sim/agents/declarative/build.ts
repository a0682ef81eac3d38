// Builds the XState machine of a statechart agent from its resolved chart: one flat state per
// chart state, `wake` transitions and `after` delays, with the guard and action libraries
// registered in setup() and referenced by type with params. No code comes from the scenario.
import { setup, type AnyStateMachine } from "xstate";
import { formatDuration } from "../../core/units.js";
import type { StatechartAgentSpec } from "../../scenario/types.js";
import type { AgentIO } from "../io.js";
import { actionImplementations, type ActionParams, type ChartEvent } from "./actions.js";
import type { ChartTransition } from "./chart.js";
import { compileGuard, guardImplementations, type Observations, type XGuard } from "./guards.js";
import type { ChartContext } from "./values.js";

interface XTransition {
  target?: string;
  reenter?: boolean;
  guard?: XGuard;
  actions: { type: string; params: ActionParams }[];
}

interface XState {
  on?: { wake: XTransition[] };
  after?: Record<number, XTransition[]>;
}

/** Builds the XState machine of statechart agent `spec`, bound to `io`. */
export function createStatechartMachine(spec: StatechartAgentSpec, io: AgentIO): AnyStateMachine {
  const observations: Observations = new Map();
  let nodes = 0;
  const nextId = () => nodes++;
  const transition = (t: ChartTransition, state: string, trigger: string): XTransition => {
    const compiled = t.guard ? compileGuard(t.guard, nextId) : undefined;
    const because = { state, trigger, guard: compiled?.node ?? null };
    return {
      ...(t.target !== undefined ? { target: t.target } : {}),
      // Naming the current state means "start it over" (its `after` timers restart); XState
      // would otherwise stay without re-entering, the same as giving no target at all.
      ...(t.target === state ? { reenter: true } : {}),
      ...(compiled ? { guard: compiled.xstate } : {}),
      actions: t.actions.map((action) => ({ type: action.type, params: { action, because } })),
    };
  };
  const states: Record<string, XState> = {};
  for (const [name, s] of Object.entries(spec.states)) {
    const state: XState = {};
    if (s.wake.length > 0) state.on = { wake: s.wake.map((t) => transition(t, name, "on wake")) };
    if (s.after.length > 0) {
      state.after = {};
      for (const d of s.after) state.after[d.delayMs] = d.transitions.map((t) => transition(t, name, `after ${formatDuration(d.delayMs)}`));
    }
    states[name] = state;
  }
  const machine = setup({
    types: { context: {} as ChartContext, events: {} as ChartEvent },
    guards: guardImplementations(io, observations, spec.params),
    actions: actionImplementations(io, observations, spec.params),
  });
  // The chart is data checked by the resolver, so its shape is only known at run time; XState's
  // config types would need it statically.
  const config = { id: spec.id, initial: spec.initial, context: { ...spec.context }, states } as unknown as Parameters<typeof machine.createMachine>[0];
  return machine.createMachine(config);
}
