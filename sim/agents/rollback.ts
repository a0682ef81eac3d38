// The rollback agent (Azure Front Door's LKG restore): when a config consumer's error rate stays
// above a limit for several evaluations, it restores the last-known-good snapshot: it puts a copy
// of the newest LKG document as a new version of the config document and deploys that version to
// 100% of the consumer, so every node reloads it (a bad LKG crashes them again). Then it waits a
// cooldown before it may roll back again.
import { ROLLOUT_KNOB, VERSION_KNOB } from "../model/config-consumer.js";
import type { RollbackAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";
import { createThresholdMachine } from "./threshold-scaler.js";

/** Builds the XState machine of a rollback agent bound to `io`. */
export function createRollbackMachine(spec: RollbackAgentSpec, io: AgentIO) {
  const consumer = io.component(spec.target);
  if (consumer.kind !== "configConsumer") throw new Error(`rollback agent ${spec.id}: target ${spec.target} is a ${consumer.kind}, not a configConsumer; point it at the consumer it restores`);
  const breach = () => {
    const errors = io.signal(spec.target, "errorRate");
    return errors > spec.errorRateMax ? `${spec.target}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)}` : null;
  };

  return createThresholdMachine({
    id: spec.id,
    breachesToAct: spec.evaluationsToAct,
    cooldownMs: spec.cooldownMs,
    breach,
    canAct: () => true,
    act: () => {
      const errors = io.signal(spec.target, "errorRate");
      const lkg = io.document(spec.store, spec.lkg);
      if (!lkg) return;
      const next = io.documentNextVersion(spec.store, spec.document);
      const why = `${spec.target}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)} on ${spec.evaluationsToAct} evaluations in a row`;
      io.documentCommand({
        op: "put",
        target: spec.store,
        document: spec.document,
        rows: lkg.rows,
        sizeBytes: lkg.sizeBytes,
        schema: lkg.schema,
        reason: `${why}: restore last-known-good ${spec.store}.${spec.lkg} version ${lkg.version} (${lkg.rows} rows, schema ${lkg.schema}) as ${spec.document} version ${next}`,
      });
      io.command({ target: spec.target, knob: VERSION_KNOB, value: next, reason: `${why}: deploy the last-known-good copy (${spec.document} version ${next}) to every node of ${spec.target}` });
      if (io.knob(spec.target, ROLLOUT_KNOB) !== 100) io.command({ target: spec.target, knob: ROLLOUT_KNOB, value: 100, reason: `roll the last-known-good copy out to 100% of ${spec.target} at once` });
    },
  });
}
