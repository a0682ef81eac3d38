// The contract between the scenario loader and a component kind's spec module: the kind's file
// schema, its defaults, its resolver, its reference checks and the ids it sends load to. The
// loader dispatches on `kind` through the registry (sim/model/kinds/specs.ts) and names no kind.
import type { z } from "zod";
import type { Path, ResolveTools } from "./resolve-tools.js";

/**
 * Reports a problem at `path` unless `id` names a component (of one of `kinds`, when given).
 * Supplied by resolve.ts once every component is resolved.
 */
export type Reference = (id: string, path: Path, kinds?: readonly string[]) => void;

/** What a component kind contributes to the scenario file format and its resolution. */
export interface KindSpec<
  Schema extends z.ZodObject = z.ZodObject,
  Spec extends { id: string; kind: string } = { id: string; kind: string },
  Defaults extends Readonly<Record<string, object>> = Readonly<Record<string, object>>,
> {
  /** The `kind` values the module defines (the server module defines `service` and `database`), in the order the docs list them. */
  readonly kinds: readonly Spec["kind"][];
  /** The zod object of one component of the kind as written; its `kind` field is the discriminator. */
  readonly schema: Schema;
  /** The defaults its resolver applies, as tables named like DEFAULTS' entries (`service`, `cpu`, ...); documented in docs/model.md. */
  readonly defaults: Defaults;
  /** Applies defaults and parses units of a schema-valid `file` at `path`, reporting problems through `tools`. */
  resolve(file: z.output<Schema>, path: Path, tools: ResolveTools): Spec;
  /** Checks the component ids `spec` (at `path`) names, through `reference`. */
  references(spec: Spec, path: Path, reference: Reference): void;
  /** Ids of the components `spec` sends load to (the edges of the dependency graph checked for cycles). Pure. */
  downstream(spec: Spec): readonly string[];
  /**
   * The flags of its own component that `spec` (at `path`) reads, each with the path of the field
   * naming it; the loader checks the component declares them in `flags`. Pure.
   */
  flagsUsed?(spec: Spec, path: Path): readonly { flag: string; path: Path }[];
  /** The agent ids `spec` (at `path`) names, each with its field's path; the loader checks they are agents. Pure. */
  agentsUsed?(spec: Spec, path: Path): readonly { agent: string; path: Path }[];
}
