// The versioned document store: versions are numbered past every version ever stored, deletes
// remove one version, and reads see the latest live version.
import { describe, expect, it } from "vitest";
import { DocumentStore } from "../../sim/model/kinds/document-store/documents.js";

describe("DocumentStore", () => {
  it("starts with the scenario's documents and numbers new versions after them", () => {
    const store = new DocumentStore("plans", [{ name: "plan", version: 3, rows: 3, sizeBytes: 100, schema: "v1" }]);
    expect(store.get("plan")).toEqual({ version: 3, rows: 3, sizeBytes: 100, schema: "v1", writer: 0 });
    expect(store.put("plan", { rows: 4, sizeBytes: 120, schema: "v1" }, 7).version).toBe(4);
    expect(store.get("plan")!.writer).toBe(7);
  });

  it("deletes one version, never reuses its number, and reports missing versions", () => {
    const store = new DocumentStore("plans");
    store.put("plan", { rows: 1, sizeBytes: 1, schema: "v1" }, 1);
    store.put("plan", { rows: 2, sizeBytes: 1, schema: "v1" }, 2);
    expect(store.delete("plan", 2)).toBe(true);
    expect(store.delete("plan", 2)).toBe(false);
    expect(store.get("plan")!.version).toBe(1);
    expect(store.put("plan", { rows: 3, sizeBytes: 1, schema: "v1" }, 3).version).toBe(3);
    expect(store.versions("plan").map((v) => v.version)).toEqual([1, 3]);
    expect(store.get("plan", 2)).toBeUndefined();
    expect(store.get("other")).toBeUndefined();
  });

  it("snapshots as plain data keyed by version", () => {
    const store = new DocumentStore("cfg", [{ name: "features", version: 1, rows: 60, sizeBytes: 6000, schema: "v2" }]);
    expect(store.snapshot()).toEqual({ features: { 1: { rows: 60, sizeBytes: 6000, schema: "v2" } } });
  });
});
