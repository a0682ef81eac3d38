// A knob's value at each telemetry sample, folded from the run's log after the run: its initial
// value from the scenario, then the `to` of each record that wrote it (the engine writes knobs only
// through logged commands). Lets thresholds name knobs that are not sampled as signals
// (`lb.weight.web-a: min >= 10`) without touching the simulation. Pure.
import { componentKnobs } from "../model/component-knobs.js";
import type { RunView } from "../detect/finding.js";

/** The value of `component.knob` at each of `view.telemetry.times` (as 32-bit floats, like every sampled series), or undefined when the component has no such knob. Pure. */
export function knobSeries(view: RunView, component: string, knob: string): Float32Array | undefined {
  const spec = view.scenario.components.find((c) => c.id === component);
  const initial = spec === undefined ? undefined : componentKnobs(spec)[knob];
  if (initial === undefined) return undefined;
  const writes = view.log.filter((r) => r.target === component && r.data.knob === knob && typeof r.data.to === "number" && !r.type.startsWith("command."));
  const times = view.telemetry.times;
  const out = new Float32Array(times.length);
  let value = initial;
  let next = 0;
  for (let i = 0; i < times.length; i++) {
    // A write at the sample's time is already in effect, as the world's own samples see it.
    while (next < writes.length && writes[next].t <= times[i]) value = writes[next++].data.to as number;
    out[i] = value;
  }
  return out;
}
