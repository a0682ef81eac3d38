// Behaviour of `documentStore` components: versioned documents (plans, configs, last-known-good
// snapshots) that agents put and delete; no knobs, no load.
import type { DocumentStoreSpec } from "../../../scenario/types.js";
import type { Component } from "../../component.js";
import { DocumentStore } from "./documents.js";
import type { ComponentKind } from "../kind.js";

/** Document stores (docs/model.md#documentstore). */
export const documentStoreModel: ComponentKind = {
  kinds: ["documentStore"],
  docsAnchor: "documentstore",
  faultEffects: [],

  initialKnobs() {
    return {};
  },

  create(raw, ctx) {
    const spec = raw as DocumentStoreSpec;
    return new DocumentStore(spec.id, spec.documents, ctx.initialWriter);
  },

  checkKnob(c) {
    return `${c.spec.id} has no knobs`;
  },

  documents(c: Component) {
    return c.state as DocumentStore;
  },

  serve(c) {
    c.servedRps = 0;
    c.ownErrorRate = 0;
  },

  aggregate() {},
};
