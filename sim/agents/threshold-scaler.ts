// The shared statechart of agents that act when a condition holds for N evaluations in a row
// and then cool down: watching --wake [confirmed]--> coolingDown --after cooldown--> watching.
import { assign, setup } from "xstate";

/** What a threshold agent supplies: its condition, whether it may act, and its action. */
export interface ThresholdBehaviour {
  id: string;
  breachesToAct: number;
  cooldownMs: number;
  /** A sentence naming the breached condition, or null when all is well. Reads record causes. */
  breach(): string | null;
  /** False when acting is pointless (e.g. already at the bound). */
  canAct(): boolean;
  /** Issues the agent's command(s). */
  act(): void;
}

/** Builds the XState machine for a threshold agent. */
export function createThresholdMachine(b: ThresholdBehaviour) {
  return setup({
    types: { context: {} as { breaches: number }, events: {} as { type: "wake" } },
    delays: { cooldown: b.cooldownMs },
    guards: {
      breachConfirmed: ({ context }) => context.breaches + 1 >= b.breachesToAct && b.canAct() && b.breach() !== null,
      breaching: () => b.breach() !== null,
    },
    actions: {
      countBreach: assign({ breaches: ({ context }) => context.breaches + 1 }),
      resetBreaches: assign({ breaches: 0 }),
      act: () => b.act(),
    },
  }).createMachine({
    id: b.id,
    initial: "watching",
    context: { breaches: 0 },
    states: {
      watching: {
        on: {
          wake: [
            { guard: "breachConfirmed", target: "coolingDown", actions: ["act", "resetBreaches"] },
            { guard: "breaching", actions: "countBreach" },
            { actions: "resetBreaches" },
          ],
        },
      },
      coolingDown: {
        after: { cooldown: "watching" },
      },
    },
  });
}
