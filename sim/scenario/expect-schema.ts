// The `expect` and `variants` parts of a scenario file as zod types. Expectations stay close to
// what k6 and Chaos Toolkit users write: a list of small assertions, thresholds as one string
// (`web.latency: p(95) < 250ms`). sim/assert/ parses and evaluates them.
import { z } from "zod";
import { FINDING_KINDS } from "../detect/finding.js";
import { MAYBE_DERIVED, mayBeKnob, parseThreshold } from "../assert/threshold.js";
import { checkedBy } from "./checked-by.js";

const id = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "an id of letters, digits, - and _, starting with a letter");
/** `<= 40`, `>= 1`, `== 0`: an operator and a number. */
const comparison = z.string().regex(/^\s*(<=|>=|==|!=|<|>)\s*-?\d+(\.\d+)?\s*$/, "a comparison such as `<= 40` or `>= 1`");
const window = z.string().regex(/^\s*[0-9][0-9a-z.]*\s*\.\.\s*([0-9][0-9a-z.]*)?\s*$|^\s*\.\.\s*[0-9][0-9a-z.]*\s*$/, "a time window such as `10m..2h`, `..30m` or `1h..`");
/** A window, or with `after` a span after each trigger: `5m` (up to 5 minutes after) or `30s..5m`. */
const windowOrSpan = z.string().regex(/^\s*[0-9][0-9a-z.]*\s*(\.\.\s*([0-9][0-9a-z.]*)?\s*)?$|^\s*\.\.\s*[0-9][0-9a-z.]*\s*$/, "a time window such as `10m..2h`, or with `after` a span such as `5m` or `30s..5m`");
const name = z.string().min(1).optional().describe("A label for this expectation in reports (JUnit testcase name); default: the expectation in words.");

export const STATE_NAMES = ["healthy", "unhealthy", "unavailable", "degraded"] as const;

const findingExpectation = z.strictObject({
  name,
  finding: z.enum(FINDING_KINDS).describe("The kind of finding a detector reports (see docs/detectors.md)."),
  must: z.enum(["occur", "not occur"]).optional().describe("`occur` (default): at least one matching finding; `not occur`: none."),
  knob: z.string().min(1).optional().describe("Only findings about this knob or document, as `component.knob` (e.g. `web.replicas`)."),
  actors: z.array(id).min(1).optional().describe("Only findings in which all of these agents or faults take part."),
  within: window.optional().describe("Only findings overlapping this time window, e.g. `10m..2h` (either end may be left out)."),
});

const thresholdExpectation = z.strictObject({
  name,
  threshold: z
    .string()
    .min(1)
    // Without the scenario: any plausible knob or derived-signal name passes here; resolve-expect.ts decides with the scenario.
    .superRefine(checkedBy((text) => parseThreshold(String(text), "threshold", (_, name) => mayBeKnob(name), MAYBE_DERIVED)))
    .describe(
      "A k6-like threshold: `<component>.<metric>[:] [aggregator] <op> <value> [over <from>..<to>]`, e.g. `web.latency: p(95) < 250ms` or `web.availability >= 0.999 over 10m..2h`. Metrics: latency, availability, errorRate or any signal; aggregators avg, min, max, med, p(N), last.",
    ),
});

const cascadeExpectation = z.strictObject({
  name,
  cascadeDepth: comparison.describe("Compares the depth (dependency hops) of the deepest cascade found, 0 when there is none, e.g. `<= 1`."),
});

const costExpectation = z.strictObject({
  name,
  cost: comparison.describe("Compares the total cost in dollars over the run (cost per hour integrated over time), e.g. `<= 40`."),
  component: id.optional().describe("Only this component's cost; default: all components."),
  within: window.optional().describe("Only the cost accrued in this time window."),
});

const rejectedExpectation = z.strictObject({
  name,
  rejected: comparison.describe("Compares the number of `command.rejected` records (commands a policy or validation refused), e.g. `>= 1`."),
  knob: z.string().min(1).optional().describe("Only commands on this knob or document, as `component.knob` or `store.document`."),
  actor: id.optional().describe("Only commands of this agent."),
  policy: z.string().min(1).optional().describe("Only rejections by this policy (e.g. `lease`, `compareAndSet`, `validation`)."),
});

/** What relative timing waits for: another expectation's matches (by name) or an inline event matcher. */
const trigger = z.union([
  z.string().min(1).describe("The `name` of another event or agent expectation: its matches are the triggers."),
  z.strictObject({
    event: z.string().regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/, "a log record type `noun.pastVerb`, e.g. `fault.started`").describe("A log record type, e.g. `fault.started`."),
    actor: id.optional().describe("Only records of this actor."),
    target: id.optional().describe("Only records acting on this component."),
    data: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional().describe("Only records whose data has each of these fields with exactly this value."),
    where: z.string().optional().describe("Only records for which this CEL condition holds, over `event` { t (seconds), type, actor, target, seq, data }, e.g. `event.data.to < event.data.from - 2.0` (docs/scenario-format.md#expressions-cel). A record without a data key the condition reads does not match."),
  }),
]);

const eventExpectation = z.strictObject({
  name,
  event: z
    .string()
    .regex(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/, "a log record type `noun.pastVerb`, e.g. `document.put`")
    .describe("A log record type (`noun.pastVerb`), e.g. `document.put`, `rollout.changed`, `health.changed`, `inService.changed`, `command.rejected`."),
  actor: id.optional().describe("Only records of this actor: an agent, fault, workload or component (components log their own `health.changed`)."),
  target: id.optional().describe("Only records acting on this component."),
  data: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe("Only records whose data has each of these fields with exactly this value, e.g. `{ document: lkg }`, `{ healthy: false }`, `{ knob: rollout, to: 100 }`."),
  within: windowOrSpan.optional().describe("Only records logged in this time window, e.g. `..15m` or `15m..25m`; with `after`, the span after each trigger, e.g. `5m` or `30s..5m`."),
  count: comparison.optional().describe("Compares the number of matching records, e.g. `== 0` or `>= 2`. Default `>= 1`. With `after`: per trigger."),
  after: trigger.optional().describe("Relative timing: every occurrence of this trigger (the name of another event or agent expectation, or an event matcher) must be followed within `within` by matching records (`count` per trigger). No trigger at all is a vacuous pass."),
    where: z.string().optional().describe("Only records for which this CEL condition holds, over `event` { t (seconds), type, actor, target, seq, data }, e.g. `event.data.to < event.data.from - 2.0` (docs/scenario-format.md#expressions-cel). A record without a data key the condition reads does not match."),
});

/** A state of an agent's machine: a state name (at any depth) or a dotted path `parent.child`. */
const agentStateName = z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*(\.[A-Za-z][A-Za-z0-9_-]*)*$/, "a state name such as `scaling` or a path such as `active.scaling`");

const agentExpectation = z.strictObject({
  name,
  agent: id.describe("The agent whose machine states are checked (built-in or statechart)."),
  state: agentStateName.optional().describe("The state counted by `entered` (default `>= 1`): how many times the agent entered it."),
  entered: comparison.optional().describe("Compares the number of entries into `state` (within `within`), e.g. `>= 1` or `== 0`. Default `>= 1`."),
  never: agentStateName.optional().describe("The agent must never be in this state (within `within`)."),
  for: z.string().regex(/^\s*[0-9][0-9a-z.]*\s*$/, "a duration such as `5m`").optional().describe("Only stays in the state that lasted at least this long (as Prometheus `for:`), e.g. `5m`."),
  within: windowOrSpan.optional().describe("Only entries (or, for `never`, stays) in this time window; with `after`, the span after each trigger, e.g. `2m`."),
  after: trigger.optional().describe("Relative timing: every occurrence of this trigger must be followed within `within` by an entry into `state` (`entered` per trigger)."),
});

const stateExpectation = z.strictObject({
  name,
  component: id.describe("The component whose state is checked at every telemetry sample."),
  never: z.enum(STATE_NAMES).optional().describe("The component must never be in this state."),
  always: z.enum(STATE_NAMES).optional().describe("The component must always be in this state."),
  within: window.optional().describe("Only samples in this time window."),
});

export const expectationSchema = z
  .union([findingExpectation, thresholdExpectation, cascadeExpectation, costExpectation, rejectedExpectation, eventExpectation, stateExpectation, agentExpectation])
  .describe("One assertion about the run: `finding`, `threshold`, `cascadeDepth`, `cost`, `rejected`, `event`, `component` with `never`/`always`, or `agent` with `state`/`entered` or `never`.");

export const expectSchema = z.array(expectationSchema).describe("Assertions checked after the run; `crossfire test` fails when one does not hold.");

/** An item of an overridden list: identified by `id`; its other fields are merged into the base item. */
const overrideItem = z
  .looseObject({
    id: id.describe("The id of the item to change; a new id adds an item."),
    remove: z.literal(true).optional().describe("Drop this item from the variant."),
  })
  .describe("Fields to change on the item with this id (merged into it), a new item, or `{ id, remove: true }`.");

export const variantSchema = z.strictObject({
  description: z.string().optional().describe("What this variant changes and why."),
  seed: z.union([z.int(), z.string().min(1)]).optional().describe("A different seed for this variant."),
  duration: z.string().optional().describe("A different run duration, e.g. `2h`."),
  step: z.string().optional().describe("A different step, e.g. `1s`."),
  sampleEvery: z.string().optional().describe("A different telemetry sampling interval."),
  components: z.array(overrideItem).optional().describe("Component changes, merged by id."),
  workload: z.array(overrideItem).optional().describe("Workload changes, merged by id."),
  agents: z.array(overrideItem).optional().describe("Agent changes, merged by id (e.g. `{ id: enactor, fencing: true }`)."),
  faults: z.array(overrideItem).optional().describe("Fault changes, merged by id."),
  coordination: z.record(z.string(), z.unknown()).optional().describe("Coordination policies to turn on or change (merged into the top-level `coordination`)."),
  detectors: z.record(z.string(), z.unknown()).optional().describe("Detector thresholds to change for this variant (merged into the top-level `detectors`)."),
  expect: expectSchema.optional().describe("Expectations of this variant, checked in addition to the top-level `expect`."),
  definitions: z.record(z.string(), z.unknown()).optional().describe("Definitions entries this variant replaces (by name) before the templates expand."),
});

export const variantsSchema = z
  .record(id, variantSchema)
  .describe("Named variants of the scenario (e.g. `blind` and `coordinated`), each a set of overrides with its own expectations. `crossfire test` runs every variant.");

export type ExpectationFile = z.infer<typeof expectationSchema>;
export type VariantFile = z.infer<typeof variantSchema>;
