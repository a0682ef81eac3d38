// A versioned document store (plans, configs, last-known-good snapshots): each named document
// has numbered versions with a size, a row count and a schema tag; versions can be deleted.
// Every version remembers the event that wrote it, so reads can name their cause.

/**
 * Rules a document must satisfy (absent rules are not checked): used by the validation
 * coordination policy, by config consumers' own limits and by a distributor that keeps the last
 * good version.
 */
export interface DocumentRules {
  rowsMax?: number;
  sizeBytesMax?: number;
  schema?: string;
}

/** Describes the first rule `content` breaks, or null. Pure. */
export function ruleViolation(content: { rows: number; sizeBytes: number; schema: string }, rules: DocumentRules): string | null {
  if (rules.rowsMax !== undefined && content.rows > rules.rowsMax) return `${content.rows} rows exceed the limit of ${rules.rowsMax}`;
  if (rules.sizeBytesMax !== undefined && content.sizeBytes > rules.sizeBytesMax) return `${content.sizeBytes} bytes exceed the limit of ${rules.sizeBytesMax}`;
  if (rules.schema !== undefined && content.schema !== rules.schema) return `schema ${JSON.stringify(content.schema)} is not the expected ${JSON.stringify(rules.schema)}`;
  return null;
}

/** One stored version of a document. Plain data. */
export interface DocumentVersion {
  version: number;
  rows: number;
  sizeBytes: number;
  schema: string;
  /** Seq of the `document.put` event (0 for documents the scenario starts with). */
  writer: number;
}

/** The documents of one store: name -> versions in ascending order. Mutable; owned by the World. */
export class DocumentStore {
  private readonly docs = new Map<string, DocumentVersion[]>();
  private readonly nextVersion = new Map<string, number>();

  constructor(readonly id: string, initial: readonly (Omit<DocumentVersion, "writer"> & { name: string })[] = [], writer = 0) {
    for (const d of initial) this.insert(d.name, { version: d.version, rows: d.rows, sizeBytes: d.sizeBytes, schema: d.schema, writer });
  }

  /** Names of the documents that have (or had) versions. */
  names(): string[] {
    return [...this.docs.keys()];
  }

  /** Live versions of `name`, ascending. */
  versions(name: string): readonly DocumentVersion[] {
    return this.docs.get(name) ?? [];
  }

  /** A version of `name` (the latest when `version` is omitted), or undefined. */
  get(name: string, version?: number): DocumentVersion | undefined {
    const list = this.docs.get(name);
    if (!list || list.length === 0) return undefined;
    return version === undefined ? list[list.length - 1] : list.find((v) => v.version === version);
  }

  /** The version number the next put of `name` receives. */
  peekNextVersion(name: string): number {
    return this.nextVersion.get(name) ?? 1;
  }

  /** Stores a new version (numbered after every version ever stored, deleted ones included). */
  put(name: string, content: { rows: number; sizeBytes: number; schema: string }, writer: number): DocumentVersion {
    const doc: DocumentVersion = { version: this.peekNextVersion(name), ...content, writer };
    this.insert(name, doc);
    return doc;
  }

  /** Deletes one version; returns false when it did not exist. */
  delete(name: string, version: number): boolean {
    const list = this.docs.get(name);
    const i = list ? list.findIndex((v) => v.version === version) : -1;
    if (!list || i < 0) return false;
    list.splice(i, 1);
    return true;
  }

  /** Plain copy: name -> version -> content. */
  snapshot(): Record<string, Record<string, Omit<DocumentVersion, "version" | "writer">>> {
    const out: Record<string, Record<string, Omit<DocumentVersion, "version" | "writer">>> = {};
    for (const [name, list] of this.docs) {
      out[name] = {};
      for (const v of list) out[name][v.version] = { rows: v.rows, sizeBytes: v.sizeBytes, schema: v.schema };
    }
    return out;
  }

  private insert(name: string, doc: DocumentVersion): void {
    const list = this.docs.get(name) ?? [];
    list.push(doc);
    list.sort((a, b) => a.version - b.version);
    this.docs.set(name, list);
    this.nextVersion.set(name, Math.max(this.peekNextVersion(name), doc.version + 1));
  }
}
