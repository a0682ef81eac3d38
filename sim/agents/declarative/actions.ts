// The action library as XState v5 parameterized actions: `set` queues a command, `publishIntent`
// announces one, `remember` assigns a context key, `log` writes an annotation and `sendLoad`
// sends requests to a component. Commands without a written reason get one
// generated from the state and what the transition's guard observed.
import { assign } from "xstate";
import type { AgentCommand, AgentIO } from "../io.js";
import type { ChartAction, ContextValue } from "./chart.js";
import { explain, type Because } from "./explain.js";
import type { Observations } from "./guards.js";
import { renderTemplate, templateParts } from "./log.js";
import type { SignalName } from "../../model/signals.js";
import { evaluateNumber, evaluateValue, type ChartContext } from "./values.js";

/** The params of every action: the action and why its transition was taken. */
export interface ActionParams {
  action: ChartAction;
  because: Because;
}

type Args = { context: ChartContext };
/** The only event a statechart agent receives (its `after` delays are internal). */
export type ChartEvent = { type: "wake" };

/** The action implementations for setup(), bound to `io`. */
export function actionImplementations(io: AgentIO, observations: Observations, params?: Readonly<Record<string, ContextValue>>) {
  return {
    set: ({ context }: Args, { action: a, because }: ActionParams) => {
      if (a.type !== "set") return;
      let failure: string | undefined;
      const value = evaluateNumber(a.value, io, context, params, (why) => (failure = why));
      const reason = a.reason ?? explain(because, observations);
      const command: AgentCommand = {
        target: a.target,
        knob: a.knob,
        value,
        reason: failure === undefined ? reason : `${reason} (value ${failure})`,
      };
      if (a.expectedVersionFrom !== undefined) command.expectedVersion = context[a.expectedVersionFrom] as number;
      if (a.idempotencyKey !== undefined) command.idempotencyKey = a.idempotencyKey;
      io.command(command);
    },
    publishIntent: ({ context }: Args, { action: a, because }: ActionParams) => {
      if (a.type !== "publishIntent") return;
      const value = evaluateNumber(a.value, io, context, params);
      // An intent whose CEL value fails is not published: no NaN reaches the log.
      if (!Number.isFinite(value)) return;
      io.publishIntent(a.target, a.knob, value, a.ttlMs, a.reason ?? explain(because, observations));
    },
    log: ({ context }: Args, { action: a, because }: ActionParams) => {
      if (a.type !== "log") return;
      const message = renderTemplate(templateParts(a, a.message), {
        context: (key) => context[key],
        signal: (component, name) => io.signal(component, name as SignalName),
        knob: (component, knob) => io.knob(component, knob),
        because: () => explain(because, observations),
        state: () => because.state,
      });
      io.annotate(message, a.level);
    },
    sendLoad: ({ context }: Args, { action: a, because }: ActionParams) => {
      if (a.type !== "sendLoad") return;
      io.sendLoad(a.to, evaluateNumber(a.rps, io, context), a.forMs, a.reason ?? explain(because, observations));
    },
    remember: assign<ChartContext, ChartEvent, ActionParams, ChartEvent, never>(({ context }, { action: a }) => {
      if (a.type !== "remember") return {};
      const v = evaluateValue(a.value, io, context, params);
      // A CEL value that fails leaves the key unchanged rather than remembering NaN.
      return typeof v === "number" && !Number.isFinite(v) ? {} : { [a.key]: v };
    }),
  };
}
