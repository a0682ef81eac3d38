// The staged deployer (Azure Front Door's config pipeline): each new version of a config document
// goes to one or more consumers (edge sites) together through rollout stages (1% -> 10% -> 100%);
// a stage advances after `bake` while every consumer stays healthy and is rolled back (rollout 0)
// as soon as one is not. After the last stage has soaked for `soak`, the version is promoted to
// last-known-good: a copy of it is put into the LKG document, where the rollback agent reads it.
import { assign, setup } from "xstate";
import { ROLLOUT_KNOB, VERSION_KNOB } from "../model/kinds/config-consumer/fleet.js";
import type { StagedDeployerAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";

interface DeployerContext {
  /** The newest document version handled (deployed, rolled back or found already deployed). */
  handled: number;
  /** The version being rolled out. */
  version: number;
  /** Index into spec.stages of the stage in effect (or just written). */
  stage: number;
  /** When that stage was written or observed. */
  sinceMs: number;
  /** The newest LKG version before the promotion was put, to see that it landed. */
  lkgBefore: number;
}

/** Builds the XState machine of a staged deployer bound to `io`. */
export function createStagedDeployerMachine(spec: StagedDeployerAgentSpec, io: AgentIO) {
  const targets = spec.targets;
  for (const target of targets) {
    const consumer = io.component(target);
    if (consumer.kind !== "configConsumer") throw new Error(`stagedDeployer agent ${spec.id}: target ${target} is a ${consumer.kind}, not a configConsumer; point it at the consumer it deploys to`);
  }
  const fleet = targets.join(", ");
  const key = `${spec.store}.${spec.document}`;
  const last = spec.stages.length - 1;
  const latest = () => io.document(spec.store, spec.document)?.version ?? 0;
  const rollout = (target: string) => io.knob(target, ROLLOUT_KNOB);
  const lowestRollout = () => Math.min(...targets.map(rollout));
  /** Why a consumer is unhealthy (the first found, in `targets` order), or null. */
  const problem = (): string | null => {
    for (const target of targets) {
      const errors = io.signal(target, "errorRate");
      if (errors > spec.errorRateMax) return `${target}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)}`;
      const available = io.signal(target, "available");
      if (available < spec.availableMin) return `${target}.available = ${show(available)} < ${show(spec.availableMin)}`;
    }
    return null;
  };
  const setRollout = (target: string, percent: number, reason: string) => io.command({ target, knob: ROLLOUT_KNOB, value: percent, reason });

  return setup({
    types: { context: {} as DeployerContext, events: {} as { type: "wake" } },
    guards: {
      alreadyDeployed: ({ context }) => latest() > context.handled && targets.every((t) => io.knob(t, VERSION_KNOB) === latest() && rollout(t) === 100),
      newVersion: ({ context }) => latest() > context.handled,
      superseded: ({ context }) => targets.some((t) => io.knob(t, VERSION_KNOB) !== context.version),
      unhealthy: () => problem() !== null,
      unhealthyBeforeLast: ({ context }) => context.stage < last && problem() !== null,
      stageMissing: ({ context }) => targets.some((t) => rollout(t) < spec.stages[context.stage]),
      // Every consumer past the stage: someone raised the rollout (one consumer raised alone,
      // e.g. by a cleanup path, does not move the others' stage).
      stageOvertaken: ({ context }) => lowestRollout() > spec.stages[context.stage],
      baked: ({ context }) => context.stage < last && io.now() - context.sinceMs >= spec.bakeMs,
      soaked: ({ context }) => context.stage === last && io.now() - context.sinceMs >= spec.soakMs,
      promoted: ({ context }) => (io.document(spec.store, spec.lkg)?.version ?? 0) > context.lkgBefore,
    },
    actions: {
      takeDeployed: assign(() => ({ handled: latest() })),
      start: assign(() => {
        const v = latest();
        const doc = io.document(spec.store, spec.document, v)!;
        for (const target of targets) {
          const from = io.knob(target, VERSION_KNOB);
          if (rollout(target) !== spec.stages[0]) setRollout(target, spec.stages[0], `stage 1 of ${spec.stages.length}: ${key} version ${v} (${doc.rows} rows, schema ${doc.schema}) to ${spec.stages[0]}% of ${target}; the rest stays on the stable version`);
          io.command({ target, knob: VERSION_KNOB, value: v, reason: `deploy ${key} version ${v} to the ${spec.stages[0]}% stage of ${target} (was version ${from})` });
        }
        return { handled: v, version: v, stage: 0, sinceMs: io.now() };
      }),
      retryStage: assign(({ context }) => {
        const stage = spec.stages[context.stage];
        for (const target of targets) {
          const r = rollout(target);
          if (r < stage) setRollout(target, stage, `${target}.rollout is ${r}%, not the ${stage}% stage of version ${context.version}: write it again`);
        }
        return { sinceMs: io.now() };
      }),
      adoptStage: assign(({ context }) => {
        const r = lowestRollout();
        let stage = context.stage;
        while (stage < last && spec.stages[stage + 1] <= r) stage++;
        return { stage, sinceMs: io.now() };
      }),
      rollBackStage: ({ context }) => {
        const why = problem();
        for (const target of targets) {
          const r = rollout(target);
          if (r !== 0) setRollout(target, 0, `${why} with ${key} version ${context.version} on ${r}% of ${target}: roll the stage back, every node on the stable version`);
        }
      },
      advance: assign(({ context }) => {
        const next = context.stage + 1;
        const why = `${fleet} healthy for ${show((io.now() - context.sinceMs) / 1000)} s (bake ${show(spec.bakeMs / 1000)} s) at ${spec.stages[context.stage]}%: advance ${key} version ${context.version} to ${spec.stages[next]}%`;
        for (const target of targets) if (rollout(target) < spec.stages[next]) setRollout(target, spec.stages[next], why);
        return { stage: next, sinceMs: io.now() };
      }),
      promote: assign(({ context }) => {
        const doc = io.document(spec.store, spec.document, context.version);
        const lkgBefore = io.document(spec.store, spec.lkg)?.version ?? 0;
        if (doc) {
          io.documentCommand({
            op: "put",
            target: spec.store,
            document: spec.lkg,
            rows: doc.rows,
            sizeBytes: doc.sizeBytes,
            schema: doc.schema,
            reason: `${key} version ${context.version} passed stages ${spec.stages.join("%, ")}% and soaked ${show((io.now() - context.sinceMs) / 1000)} s at 100%: promote it to last-known-good`,
          });
        }
        return { lkgBefore };
      }),
    },
  }).createMachine({
    id: spec.id,
    initial: "idle",
    context: { handled: 0, version: 0, stage: 0, sinceMs: 0, lkgBefore: 0 },
    states: {
      idle: {
        on: {
          wake: [
            { guard: "alreadyDeployed", actions: "takeDeployed" },
            { guard: "newVersion", target: "staging", actions: "start" },
          ],
        },
      },
      staging: {
        on: {
          wake: [
            { guard: "superseded", target: "idle" },
            { guard: "unhealthyBeforeLast", target: "idle", actions: "rollBackStage" },
            // At 100% the stable version is the new one, so there is no stage to roll back: the
            // version is just not promoted (the rollback agent restores the last-known-good).
            { guard: "unhealthy", target: "idle" },
            { guard: "stageMissing", actions: "retryStage" },
            { guard: "stageOvertaken", actions: "adoptStage" },
            { guard: "baked", actions: "advance" },
            { guard: "soaked", target: "promoting", actions: "promote" },
          ],
        },
      },
      promoting: {
        on: {
          wake: [
            { guard: "promoted", target: "idle" },
            { guard: "superseded", target: "idle" },
            { guard: "unhealthy", target: "idle" },
            { actions: "promote" },
          ],
        },
      },
    },
  });
}
