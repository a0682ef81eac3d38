// Reconstructs world state at any simulated time from a run's log, starting from the nearest
// earlier snapshot so that scrubbing does not refold the whole log.
import type { EventRecord } from "../log/record.js";
import { applyEvent, cloneState } from "../model/state-fold.js";
import type { WorldState } from "../model/world.js";
import type { StateSnapshot } from "./engine.js";

/** What stateAt needs: the log and its snapshots (a RunResult or a loaded run file). */
export interface ReplaySource {
  log: readonly EventRecord[];
  snapshots: readonly StateSnapshot[];
}

/**
 * The world state after every event with time <= `tMs`. Pure. Uses the latest snapshot whose
 * last event is at or before `tMs`, then folds the events after it.
 */
export function stateAt(run: ReplaySource, tMs: number): WorldState {
  const { log, snapshots } = run;
  if (snapshots.length === 0) throw new RangeError("stateAt: the run has no snapshots (the first is taken at seq 0)");
  let lo = 0;
  let hi = snapshots.length - 1;
  let pick = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (log[snapshots[mid].seq].t <= tMs) {
      pick = mid;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  const snapshot = snapshots[pick];
  const state = cloneState(snapshot.state);
  for (let seq = snapshot.seq + 1; seq < log.length && log[seq].t <= tMs; seq++) applyEvent(state, log[seq]);
  return state;
}
