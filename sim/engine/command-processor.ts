// Turns agent commands into log events: validation against the world, then the scenario's
// coordination policies, then the knob write. Every rejection, hold or duplicate is an event
// naming the policy and the reason, so the log shows why an action did not happen.
import type { AgentCommand, DocumentCommand } from "../agents/io.js";
import type { EventDraft, EventRecord, JsonValue } from "../log/record.js";
import type { World } from "../model/world.js";
import { isSignalName } from "../model/signals.js";
import { decideCommand } from "./commands.js";
import type { CoordinationPipeline } from "./coordination/pipeline.js";
import { adjustedDraft } from "./coordination/adjusted.js";
import type { CommandContext, ComponentHealth, Verdict } from "./coordination/types.js";

/** Counters the processor updates. */
export interface CommandStats {
  commands: number;
  applied: number;
  rejected: number;
  unchanged: number;
  held: number;
  duplicates: number;
}

/** What the processor needs from the engine. */
export interface CommandHost {
  now(): number;
  append(draft: EventDraft): EventRecord;
  /** Runs `callback` at `atMs` outside any agent step. */
  scheduleAt(atMs: number, callback: () => void): void;
  /**
   * Counterfactual runs only: why a command by `actor` that would be logged as record `nextSeq`
   * is suppressed (an intervention), or null to let it through.
   */
  suppressed?(actor: string, nextSeq: number, stage: "issued" | "apply"): string | null;
  /** The seq the next appended record will get (needed with `suppressed`). */
  nextSeq?(): number;
  /**
   * Why `actor` cannot reach component `target` now (a network partition between them, with the
   * partition's start as cause), or null; absent when the scenario has no partitions.
   */
  partitioned?(actor: string, target: string): { reason: string; causes: number[] } | null;
  /** Called after knob `target.knob` was written by record `seq` (and its lease noted): what the write switches, such as a gated fault. */
  knobApplied?(target: string, knob: string, seq: number): void;
}

/** Validates, coordinates and applies commands. One per run. */
export class CommandProcessor {
  constructor(
    private readonly world: World,
    private pipeline: CoordinationPipeline,
    private readonly host: CommandHost,
    private readonly stats: CommandStats,
  ) {}

  /** Switches coordination policies from now on (a what-if intervention). */
  usePipeline(pipeline: CoordinationPipeline): void {
    this.pipeline = pipeline;
  }

  /** Logs a command an intervention suppressed, if one does; true when it did. */
  private suppress(actor: string, stage: "issued" | "apply", target: string, data: { [key: string]: JsonValue }, causes: number[]): boolean {
    if (!this.host.suppressed) return false;
    const why = this.host.suppressed(actor, this.host.nextSeq?.() ?? -1, stage);
    if (why === null) return false;
    this.host.append(this.draft(this.host.now(), "command.suppressed", actor, target, { ...data, intervention: why }, causes));
    return true;
  }

  /**
   * Processes one command issued by `actor` whose decision depended on `causes` (ascending seqs).
   * `reviewed` and `heldSinceMs` are set when a held command is re-submitted.
   */
  submit(actor: string, command: AgentCommand, causes: number[], reviewed = false, heldSinceMs?: number): void {
    const now = this.host.now();
    const summary = { knob: command.knob, value: Number.isFinite(command.value) ? command.value : String(command.value), intent: command.reason };
    if (this.suppress(actor, "issued", command.target, summary, causes)) return;
    if (!reviewed) this.stats.commands++;
    const cut = this.host.partitioned?.(actor, command.target) ?? null;
    if (cut !== null) {
      this.stats.rejected++;
      this.host.append(this.draft(now, "command.rejected", actor, command.target, { ...summary, policy: "partition", reason: cut.reason }, merge(causes, cut.causes)));
      return;
    }
    const outcome = decideCommand(this.world, actor, command, now, causes);
    if (outcome.kind === "unchanged") {
      this.stats.unchanged++;
      return;
    }
    if (outcome.kind === "reject") {
      this.stats.rejected++;
      this.host.append(outcome.draft);
      return;
    }
    const knobKey = `${command.target}.${command.knob}`;
    const ctx: CommandContext = {
      now,
      actor,
      command,
      knobKey,
      current: this.world.knob(command.target, command.knob),
      version: this.world.knobVersion(command.target, command.knob),
      reviewed,
      op: "set",
      knobValue: this.knobValue,
      componentHealth: this.componentHealth,
      readValue: this.readValue,
      ...(heldSinceMs !== undefined ? { heldSinceMs } : {}),
    };
    const decision = this.pipeline.decide(ctx);
    const verdict = decision.verdict;
    let draft = outcome.draft;
    if (verdict.kind !== "allow") {
      const base = { knob: command.knob, value: command.value, intent: command.reason };
      this.logBlocked(verdict, { now, actor, target: command.target, base, causes, idempotencyKey: command.idempotencyKey }, (held) =>
        this.submit(actor, command, held, reviewed || verdict.policy === "approval", heldSinceMs ?? now),
      );
      return;
    }
    if (decision.adjustments.length > 0) {
      const adjusted = adjustedDraft(this.world, outcome.draft, decision.ctx.command.value, decision.adjustments);
      if (adjusted.kind === "reject") {
        this.stats.rejected++;
        this.host.append(this.draft(now, "command.rejected", actor, command.target, { knob: command.knob, value: command.value, intent: command.reason, ...adjusted.data }, merge(causes, adjusted.causes)));
        return;
      }
      draft = adjusted.draft;
    }
    if (this.suppress(actor, "apply", command.target, { ...summary, blocked: draft.type }, causes)) return;
    // A command that passed the policies makes its API calls (docs/model.md#provisioner); a
    // throttled one fails, caused by the commands that exhausted the quota.
    const charge = this.world.chargeCommand(actor, now);
    if (charge.reason !== null) {
      this.stats.rejected++;
      const rejected = this.host.append(this.draft(now, "command.rejected", actor, command.target, { knob: command.knob, value: command.value, intent: command.reason, policy: "apiQuota", reason: charge.reason }, merge(causes, charge.causes)));
      this.world.noteCommandCharged(actor, rejected.seq);
      return;
    }
    const holderBefore = this.pipeline.leases?.holder(knobKey, now) ?? null;
    const record = this.host.append(draft);
    if (charge.charged) this.world.noteCommandCharged(actor, record.seq);
    this.world.applyKnob(command.target, command.knob, decision.ctx.command.value, record.seq);
    this.pipeline.applied(decision.ctx, record.seq);
    this.stats.applied++;
    const holderAfter = this.pipeline.leases?.holder(knobKey, now) ?? null;
    if (holderAfter !== null && holderAfter !== holderBefore) {
      this.host.append(this.draft(now, "lease.acquired", actor, command.target, { knob: command.knob, holder: holderAfter }, [record.seq]));
    }
    this.host.knobApplied?.(command.target, command.knob, record.seq);
  }

  /**
   * Processes a document put or delete: checked against the store (it must exist; a deleted
   * version must exist), then the same coordination policies with `store.document` as the knob
   * key and the version as the value, then logged as `document.put` / `document.deleted`.
   */
  submitDocument(actor: string, command: DocumentCommand, causes: number[], reviewed = false, heldSinceMs?: number): void {
    const now = this.host.now();
    const summary = { op: command.op, document: command.document, intent: command.reason };
    if (this.suppress(actor, "issued", command.target, summary, causes)) return;
    if (!reviewed) this.stats.commands++;
    const knobKey = `${command.target}.${command.document}`;
    const reject = (policy: string, reason: string, extraCauses: number[] = []) => {
      this.stats.rejected++;
      this.host.append(this.draft(now, "command.rejected", actor, command.target, { op: command.op, document: command.document, policy, reason, intent: command.reason }, merge(causes, extraCauses)));
    };
    const cut = this.host.partitioned?.(actor, command.target) ?? null;
    if (cut !== null) return reject("partition", cut.reason, cut.causes);
    let store;
    try {
      store = this.world.store(command.target);
    } catch {
      return reject("validation", `unknown document store ${JSON.stringify(command.target)}`);
    }
    const latest = store.get(command.document);
    const content = { rows: command.rows ?? 0, sizeBytes: command.sizeBytes ?? 0, schema: command.schema ?? "v1" };
    if (command.op === "put") {
      for (const [name, v] of Object.entries(content)) {
        if (typeof v === "number" && !(Number.isInteger(v) && v >= 0)) return reject("validation", `${knobKey} ${name} must be a whole number >= 0, got ${v}`);
      }
    } else if (command.version === undefined || store.get(command.document, command.version) === undefined) {
      return reject("validation", `${knobKey} has no version ${command.version} to delete (live: ${store.versions(command.document).map((v) => v.version).join(", ") || "none"})`);
    }
    const value = command.op === "put" ? store.peekNextVersion(command.document) : command.version!;
    const ctx: CommandContext = {
      now,
      actor,
      command: { target: command.target, knob: command.document, value, reason: command.reason, expectedVersion: command.expectedVersion, idempotencyKey: command.idempotencyKey },
      knobKey,
      current: latest?.version ?? 0,
      version: latest?.version ?? 0,
      reviewed,
      op: command.op,
      content: command.op === "put" ? content : undefined,
      knobValue: this.knobValue,
      componentHealth: this.componentHealth,
      readValue: this.readValue,
      ...(heldSinceMs !== undefined ? { heldSinceMs } : {}),
    };
    const verdict = this.pipeline.check(ctx);
    if (verdict.kind !== "allow") {
      const base = { op: command.op, document: command.document, version: value, intent: command.reason };
      this.logBlocked(verdict, { now, actor, target: command.target, base, causes, idempotencyKey: command.idempotencyKey }, (held) =>
        this.submitDocument(actor, command, held, reviewed || verdict.policy === "approval", heldSinceMs ?? now),
      );
      return;
    }
    if (this.suppress(actor, "apply", command.target, { ...summary, version: value, blocked: command.op === "put" ? "document.put" : "document.deleted" }, causes)) return;
    const extra: { [key: string]: JsonValue } = command.idempotencyKey !== undefined ? { idempotencyKey: command.idempotencyKey } : {};
    if (command.op === "put") {
      const record = this.host.append(this.draft(now, "document.put", actor, command.target, { document: command.document, version: value, ...content, reason: command.reason, ...extra }, causes));
      this.world.putDocument(command.target, command.document, content, record.seq);
      this.pipeline.applied(ctx, record.seq);
    } else {
      const record = this.host.append(this.draft(now, "document.deleted", actor, command.target, { document: command.document, version: value, reason: command.reason, ...extra }, merge(causes, [store.get(command.document, value)!.writer])));
      this.world.deleteDocument(command.target, command.document, value, record.seq);
      this.pipeline.applied(ctx, record.seq);
    }
    this.stats.applied++;
  }

  /**
   * Logs a command that a policy did not allow: `command.rejected`, `command.duplicate` (caused by
   * the first application) or `command.held` (re-submitted through `resubmit` when the hold ends,
   * caused by the hold).
   */
  private logBlocked(
    verdict: Exclude<Verdict, { kind: "allow" }>,
    at: { now: number; actor: string; target: string; base: { [key: string]: JsonValue }; causes: number[]; idempotencyKey?: string },
    resubmit: (causes: number[]) => void,
  ): void {
    const { now, actor, target, base, causes } = at;
    switch (verdict.kind) {
      case "reject":
        this.stats.rejected++;
        this.host.append(this.draft(now, "command.rejected", actor, target, { ...base, policy: verdict.policy, reason: verdict.reason }, merge(causes, verdict.causes ?? [])));
        return;
      case "duplicate":
        this.stats.duplicates++;
        this.host.append(this.draft(now, "command.duplicate", actor, target, { ...base, policy: verdict.policy, reason: verdict.reason, firstSeq: verdict.firstSeq, idempotencyKey: at.idempotencyKey ?? null }, merge(causes, [verdict.firstSeq])));
        return;
      case "hold": {
        this.stats.held++;
        const held = this.host.append(this.draft(now, "command.held", actor, target, { ...base, policy: verdict.policy, reason: verdict.reason, untilMs: verdict.untilMs }, merge(causes, verdict.causes ?? [])));
        this.host.scheduleAt(verdict.untilMs, () => resubmit(merge(causes, [held.seq])));
      }
    }
  }

  private readonly componentHealth = (id: string): ComponentHealth | undefined =>
    this.world.has(id) ? { down: this.world.signal(id, "healthy") === 0 || this.world.signal(id, "available") === 0, seq: this.world.healthWriter(id) } : undefined;

  private readonly readValue = (id: string, name: string, causes: Set<number>): number => {
    if (!this.world.has(id)) return NaN;
    if (this.world.knobNames(id).includes(name)) return this.world.observeKnob(id, name, causes);
    return isSignalName(name) ? this.world.observeSignal(id, name, causes) : NaN;
  };

  private readonly knobValue = (target: string, knob: string): number | undefined =>
    this.world.has(target) && this.world.knobNames(target).includes(knob) ? this.world.knob(target, knob) : undefined;

  private draft(t: number, type: string, actor: string, target: string, data: { [key: string]: JsonValue }, causes: number[]): EventDraft {
    return { t, type, actor, target, data, causes };
  }
}

function merge(a: number[], b: number[]): number[] {
  if (b.length === 0) return a;
  return [...new Set([...a, ...b])].sort((x, y) => x - y);
}
