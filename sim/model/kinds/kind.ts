// The interface every component kind implements, and the contexts the world hands it. The world
// orchestrates components through this interface only: it never names a kind. Adding a kind is
// one module implementing ComponentKind plus one line in ./registry.ts (docs/model.md).
import type { ComponentFaultSpec, ComponentSpec } from "../../scenario/types.js";
import type { Component } from "../component.js";
import type { SignalName } from "../signals.js";
import type { DocumentStore } from "./document-store/documents.js";

/** What a kind can ask of the world while components are built and linked. */
export interface BuildContext {
  readonly stepMs: number;
  /** Seq credited as the writer of every initial knob and document (the run's first record). */
  readonly initialWriter: number;
  /**
   * Adds a load edge from `c` to component `targetId`. Throws InputError naming `path` when no
   * component has that id.
   */
  connect(c: Component, targetId: string, path: string, callsPerRequest?: number, weightKnob?: string): void;
  /** Adds a load edge from `c` to each of its `dependsOn` entries (path `components[i].dependsOn[j]`). */
  connectDependencies(c: Component, dependsOn: readonly { id: string; callsPerRequest: number }[]): void;
  /** The documents of component `storeId`. Throws InputError naming `path` when it holds none. */
  documentStore(storeId: string, path: string): DocumentStore;
  /** Component `id` (built, maybe not yet linked). Throws InputError naming `path` when none has that id. */
  component(id: string, path: string): Component;
}

/** A command's API calls charged to a component (a provisioner's quota): why it was throttled (null: admitted) and what exhausted the quota. */
export interface CommandCharge {
  reason: string | null;
  causes: readonly number[];
}

/** What a kind can read while the world steps. */
export interface StepContext {
  /** Every component, by index. Kinds write only their own component and their callees' offeredRps. */
  readonly components: readonly Component[];
  /**
   * Requests per second offered to each component this step, by index: the workloads' share,
   * plus what callers add as they are served (callers first). A component's `offeredRps` is set
   * from it just before it is served; kinds forward load by adding to their callees' entries.
   */
  readonly load: Float64Array;
  readonly stepMs: number;
  /** The documents of component `storeId`, or undefined. */
  documentStore(storeId: string): DocumentStore | undefined;
  /** Seq of the `document.deleted` event that removed a version, or undefined. */
  documentDeletion(storeId: string, document: string, version: number): number | undefined;
}

/** A component kind's state and behaviour. Implementations are stateless objects; per-component state lives in `Component.state`. */
export interface ComponentKind {
  /** The `kind` values of specs this module handles. */
  readonly kinds: readonly ComponentSpec["kind"][];
  /** Anchor of the kind's section in docs/model.md. */
  readonly docsAnchor: string;
  /** Component fault effects that can target it. */
  readonly faultEffects: readonly ComponentFaultSpec["effect"][];
  /**
   * True when callers reach it through a cache (a DNS record's resolvers): its `available` is the
   * authoritative answer, and what callers see is in its error rate.
   */
  readonly cachedByCallers?: boolean;
  /** The knobs of a component of this spec with their initial values: what commands can write. Pure. */
  initialKnobs(spec: ComponentSpec): Record<string, number>;
  /** The kind-private state of a new component (`Component.state`). */
  create(spec: ComponentSpec, ctx: BuildContext): unknown;
  /** Once every component exists: adds load edges and resolves references. Throws InputError on bad ones. */
  link?(c: Component, ctx: BuildContext): void;
  /** Why writing finite `value` to `knob` is invalid, or null. The knob exists. Pure. */
  checkKnob(c: Component, knob: string, value: number): string | null;
  /** Reacts to a knob write already stored in `c.knobs` (for example, a CPU resize starts a rollout). */
  onKnobWritten?(c: Component, knob: string): void;
  /** The documents the component holds, when it is a store. */
  documents?(c: Component): DocumentStore;
  /** Document stores whose changes change what this component's signals derive from. */
  watchedStores?(c: Component): readonly string[];
  /** Work before anyone is served this step; returns true when its own provenance changed. */
  beginStep?(c: Component, ctx: StepContext, tMs: number): boolean;
  /**
   * Own queueing, shedding and forwarding for one step (callers are served first): sets
   * servedRps, ownErrorRate, ownLatencyMs and its own signals, and adds what it sends to its
   * callees' entries of `ctx.load`.
   */
  serve(c: Component, ctx: StepContext, tMs: number): void;
  /** End-to-end latency and error rate into c.signals (callees are aggregated first). */
  aggregate(c: Component, ctx: StepContext): void;
  /** Events beyond knob writers, health and faults that shape the component (pushed into `out`). */
  provenance?(c: Component, ctx: StepContext, out: number[]): void;
  /**
   * True when, this step, the load it sent its callees was driven by their failures (retries,
   * re-queued jobs): the world then makes its callees' load provenance carry their own causes.
   */
  reactsToCallees?(c: Component): boolean;
  /**
   * Which of the kind's per-step hooks (beginStep, reactsToCallees) a component of this spec
   * needs; absent = every hook the kind has. A kind whose hooks serve only opt-in features keeps
   * the components that use none of them out of the world's per-step lists, so a feature costs
   * nothing where it is not written. Pure.
   */
  stepHooks?(spec: ComponentSpec): { beginStep: boolean; reactsToCallees: boolean };
  /** Optional signals (OPTIONAL_SIGNAL_NAMES) a component of this spec sets, so the run samples them. Pure. */
  optionalSignals?(spec: ComponentSpec): readonly SignalName[];
  /** Charges a command `actor` is about to apply at `tMs` (API calls on a quota); null when the component does not bill that actor. */
  chargeCommand?(c: Component, actor: string, tMs: number): CommandCharge | null;
  /** The command charged last (by chargeCommand) was logged as record `seq`; returns true when the component's own provenance changed. */
  noteCommandCharged?(c: Component, actor: string, seq: number): boolean;
}

/**
 * A kind module's object with every member present, in one order: the world calls kinds through
 * `c.kind.<method>` on every component every step, and objects of one shape keep those property
 * loads monomorphic (kinds written as differing literals made them megamorphic). Pure.
 */
export function defineKind(kind: ComponentKind): ComponentKind {
  return {
    kinds: kind.kinds,
    docsAnchor: kind.docsAnchor,
    faultEffects: kind.faultEffects,
    cachedByCallers: kind.cachedByCallers ?? false,
    initialKnobs: kind.initialKnobs,
    create: kind.create,
    link: kind.link,
    checkKnob: kind.checkKnob,
    onKnobWritten: kind.onKnobWritten,
    documents: kind.documents,
    watchedStores: kind.watchedStores,
    beginStep: kind.beginStep,
    serve: kind.serve,
    aggregate: kind.aggregate,
    provenance: kind.provenance,
    reactsToCallees: kind.reactsToCallees,
    optionalSignals: kind.optionalSignals,
    stepHooks: kind.stepHooks,
    chargeCommand: kind.chargeCommand,
    noteCommandCharged: kind.noteCommandCharged,
  };
}
