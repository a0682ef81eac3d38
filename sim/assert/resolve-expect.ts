// Resolves a scenario's `expect` list against the resolved scenario: parses thresholds, windows
// and comparisons, checks that components, knobs and actors exist (with "did you mean" hints),
// and names each expectation in words. Collects every problem. Pure.
import { InputError } from "../core/errors.js";
import { knobsOf } from "../agents/declarative/resolve.js";
import { closest } from "../scenario/problems.js";
import type { ExpectationFile } from "../scenario/expect-schema.js";
import type { Path, Unlocated } from "../scenario/resolve-tools.js";
import type { Scenario } from "../scenario/types.js";
import type { Comparison, Expectation, Operator, TimeWindow } from "./expectation.js";
import { parseThreshold, parseWindow } from "./threshold.js";
import { checkGroupRead, groupNeedsAggregate } from "../scenario/resolve-groups.js";

/** An expectation before the loader attaches its line: it carries its path in the file instead. */
export type UnlocatedExpectation = Expectation & { path: Path };

/** Resolves `files` (found at `["expect", i]`) for `scenario`. */
export function resolveExpectations(files: readonly ExpectationFile[], scenario: Scenario): { expectations: UnlocatedExpectation[]; problems: Unlocated[] } {
  const problems: Unlocated[] = [];
  const expectations: UnlocatedExpectation[] = [];
  const componentIds = scenario.components.map((c) => c.id);
  const actorIds = [...scenario.agents.map((a) => a.id), ...(scenario.faults ?? []).map((f) => f.id)];

  const guard = <T>(path: Path, f: () => T): T | undefined => {
    try {
      return f();
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      problems.push({ path, expected: e.expected, found: e.found, hint: e.hint });
      return undefined;
    }
  };
  const component = (id: string, path: Path): boolean => {
    if (componentIds.includes(id)) return true;
    const guess = closest(id, componentIds);
    problems.push({ path, expected: `a component id (${componentIds.join(", ")})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
    return false;
  };
  const actor = (id: string, path: Path): void => {
    if (actorIds.includes(id)) return;
    const guess = closest(id, actorIds);
    problems.push({ path, expected: `an agent or fault id (${actorIds.join(", ") || "none declared"})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
  };
  // Log records name agents, faults, workloads and components (health changes) as actors.
  const logActorIds = [...actorIds, ...scenario.workloads.map((w) => w.id), ...componentIds, "engine"];
  const logActor = (id: string, path: Path): void => {
    if (logActorIds.includes(id)) return;
    const guess = closest(id, logActorIds);
    problems.push({ path, expected: `an agent, fault, workload or component id (${logActorIds.join(", ")})`, found: JSON.stringify(id), hint: guess ? `did you mean \`${guess}\`?` : undefined });
  };
  const knob = (text: string, path: Path): void => {
    const dot = text.indexOf(".");
    const id = dot < 0 ? text : text.slice(0, dot);
    const name = dot < 0 ? "" : text.slice(dot + 1);
    if (!component(id, path)) return;
    const spec = scenario.components.find((c) => c.id === id)!;
    if (spec.kind === "documentStore") {
      if (name === "") problems.push({ path, expected: "`store.document`", found: JSON.stringify(text), hint: `name the document, e.g. \`${id}.<document>\`` });
      return;
    }
    const knobs = knobsOf(spec) ?? [];
    if (knobs.includes(name)) return;
    const guess = closest(name, knobs);
    problems.push({ path, expected: `a knob of ${id} (${knobs.join(", ") || "it has none"}) as \`${id}.<knob>\``, found: JSON.stringify(text), hint: guess ? `did you mean \`${id}.${guess}\`?` : undefined });
  };
  const window = (text: string | undefined, path: Path): TimeWindow | undefined => (text === undefined ? undefined : guard(path, () => parseWindow(text, scenario.durationMs, path.join("."))));

  files.forEach((file, i) => {
    const path: Path = ["expect", i];
    const named = (words: string) => file.name ?? words;
    if ("finding" in file) {
      if (file.knob !== undefined) knob(file.knob, [...path, "knob"]);
      file.actors?.forEach((a, j) => actor(a, [...path, "actors", j]));
      const mustOccur = file.must !== "not occur";
      const words = `${file.finding} must ${mustOccur ? "" : "not "}occur${file.knob ? ` on ${file.knob}` : ""}${file.actors ? ` between ${file.actors.join(", ")}` : ""}${file.within ? ` within ${file.within}` : ""}`;
      expectations.push({ kind: "finding", name: named(words), path, line: 0, col: 0, finding: file.finding, mustOccur, knob: file.knob, actors: file.actors, window: window(file.within, [...path, "within"]) });
    } else if ("threshold" in file) {
      const parsed = guard([...path, "threshold"], () => parseThreshold(file.threshold, "threshold"));
      if (!parsed) return;
      // A group id reads the group's aggregates (`cells.sum.replicas`); a component id its signals.
      const group = scenario.groups?.some((g) => g.id === parsed.component) ?? false;
      if (group && parsed.metric.kind !== "aggregate") {
        problems.push(groupNeedsAggregate(parsed.component, parsed.metric.kind === "signal" ? parsed.metric.signal : parsed.metric.kind, [...path, "threshold"]));
        return;
      }
      if (parsed.metric.kind === "aggregate") {
        if (!checkGroupRead(parsed.component, parsed.metric.name, [...path, "threshold"], scenario.groups ?? [], scenario.components, problems)) return;
      } else if (!component(parsed.component, [...path, "threshold"])) return;
      expectations.push({
        kind: "threshold",
        name: named(file.threshold.trim()),
        path,
        line: 0,
        col: 0,
        text: file.threshold.trim(),
        component: parsed.component,
        metric: parsed.metric,
        aggregator: parsed.aggregator,
        comparison: parsed.comparison,
        unit: parsed.unit,
        window: window(parsed.window, [...path, "threshold"]),
      });
    } else if ("cascadeDepth" in file) {
      expectations.push({ kind: "cascadeDepth", name: named(`cascade depth ${file.cascadeDepth.trim()}`), path, line: 0, col: 0, comparison: parseComparison(file.cascadeDepth) });
    } else if ("cost" in file) {
      if (file.component !== undefined) component(file.component, [...path, "component"]);
      const words = `${file.component ? `${file.component} ` : "total "}cost ${file.cost.trim()} dollars${file.within ? ` within ${file.within}` : ""}`;
      expectations.push({ kind: "cost", name: named(words), path, line: 0, col: 0, comparison: parseComparison(file.cost), component: file.component, window: window(file.within, [...path, "within"]) });
    } else if ("rejected" in file) {
      if (file.knob !== undefined) knob(file.knob, [...path, "knob"]);
      if (file.actor !== undefined) actor(file.actor, [...path, "actor"]);
      const words = `rejected commands${file.actor ? ` of ${file.actor}` : ""}${file.knob ? ` on ${file.knob}` : ""}${file.policy ? ` by ${file.policy}` : ""} ${file.rejected.trim()}`;
      expectations.push({ kind: "rejected", name: named(words), path, line: 0, col: 0, comparison: parseComparison(file.rejected), knob: file.knob, actor: file.actor, policy: file.policy });
    } else if ("event" in file) {
      if (file.actor !== undefined) logActor(file.actor, [...path, "actor"]);
      if (file.target !== undefined) component(file.target, [...path, "target"]);
      const count = file.count ?? ">= 1";
      const data = file.data && Object.keys(file.data).length > 0 ? file.data : undefined;
      const filters = [file.actor ? `by ${file.actor}` : "", file.target ? `on ${file.target}` : "", data ? `with ${Object.entries(data).map(([k, v]) => `${k} ${JSON.stringify(v)}`).join(", ")}` : "", file.within ? `within ${file.within}` : ""].filter((x) => x !== "");
      const words = `${file.event} records${filters.length ? ` ${filters.join(" ")}` : ""} ${count.trim()}`;
      expectations.push({ kind: "event", name: named(words), path, line: 0, col: 0, event: file.event, comparison: parseComparison(count), actor: file.actor, target: file.target, data, window: window(file.within, [...path, "within"]) });
    } else {
      component(file.component, [...path, "component"]);
      const mode = file.never !== undefined ? "never" : "always";
      const state = file.never ?? file.always;
      if (state === undefined || (file.never !== undefined && file.always !== undefined)) {
        problems.push({ path, expected: "exactly one of `never` or `always` with a state (healthy, unhealthy, unavailable, degraded)", found: state === undefined ? "neither" : "both", hint: "e.g. `{ component: web, never: unhealthy }`" });
        return;
      }
      expectations.push({ kind: "state", name: named(`${file.component} ${mode} ${state}${file.within ? ` within ${file.within}` : ""}`), path, line: 0, col: 0, component: file.component, mode, state, window: window(file.within, [...path, "within"]) });
    }
  });
  return { expectations, problems };
}

/** `<= 40` -> { op: "<=", value: 40 }; the schema has already checked the shape. Pure. */
export function parseComparison(text: string): Comparison {
  const m = /^\s*(<=|>=|==|!=|<|>)\s*(-?\d+(?:\.\d+)?)\s*$/.exec(text)!;
  return { op: m[1] as Operator, value: Number(m[2]) };
}
