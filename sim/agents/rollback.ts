// The rollback agent (Azure Front Door's LKG restore): when a config consumer's error rate (or that
// of the component it watches, e.g. the load balancer in front of several consumers) stays above a
// limit for several evaluations, it restores the last-known-good snapshot: it puts a copy of the
// newest LKG document as a new version of the config document and deploys that version to 100% of
// every consumer, so every node reloads it (a bad LKG crashes them again). Then it waits a
// cooldown before it may roll back again.
import { ROLLOUT_KNOB, VERSION_KNOB } from "../model/kinds/config-consumer/fleet.js";
import type { RollbackAgentSpec } from "../scenario/types.js";
import { show, type AgentIO } from "./io.js";
import { createThresholdMachine } from "./threshold-scaler.js";

/** Builds the XState machine of a rollback agent bound to `io`. */
export function createRollbackMachine(spec: RollbackAgentSpec, io: AgentIO) {
  const targets = spec.targets;
  for (const target of targets) {
    const consumer = io.component(target);
    if (consumer.kind !== "configConsumer") throw new Error(`rollback agent ${spec.id}: target ${target} is a ${consumer.kind}, not a configConsumer; point it at the consumer it restores`);
  }
  const watched = spec.watch !== undefined ? [spec.watch] : targets;
  /** The watched component with the highest error rate (the first on ties) and that rate. */
  const worst = (): { id: string; errors: number } => {
    let found = { id: watched[0], errors: io.signal(watched[0], "errorRate") };
    for (const id of watched.slice(1)) {
      const errors = io.signal(id, "errorRate");
      if (errors > found.errors) found = { id, errors };
    }
    return found;
  };
  const breach = () => {
    const { id, errors } = worst();
    return errors > spec.errorRateMax ? `${id}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)}` : null;
  };

  return createThresholdMachine({
    id: spec.id,
    breachesToAct: spec.evaluationsToAct,
    cooldownMs: spec.cooldownMs,
    breach,
    canAct: () => true,
    act: () => {
      const { id, errors } = worst();
      const lkg = io.document(spec.store, spec.lkg);
      if (!lkg) return;
      const next = io.documentNextVersion(spec.store, spec.document);
      const why = `${id}.errorRate = ${show(errors)} > ${show(spec.errorRateMax)} on ${spec.evaluationsToAct} evaluations in a row`;
      io.documentCommand({
        op: "put",
        target: spec.store,
        document: spec.document,
        rows: lkg.rows,
        sizeBytes: lkg.sizeBytes,
        schema: lkg.schema,
        reason: `${why}: restore last-known-good ${spec.store}.${spec.lkg} version ${lkg.version} (${lkg.rows} rows, schema ${lkg.schema}) as ${spec.document} version ${next}`,
      });
      for (const target of targets) {
        io.command({ target, knob: VERSION_KNOB, value: next, reason: `${why}: deploy the last-known-good copy (${spec.document} version ${next}) to every node of ${target}` });
        if (io.knob(target, ROLLOUT_KNOB) !== 100) io.command({ target, knob: ROLLOUT_KNOB, value: 100, reason: `roll the last-known-good copy out to 100% of ${target} at once` });
      }
    },
  });
}
