// Behaviour of `shards` components: a migration state (knob `migrated`) that a migrator advances
// and a config generator's query depends on; no load.
import type { ShardsSpec } from "../../../scenario/types.js";
import { checkShardsKnob, MIGRATED_KNOB } from "./knobs.js";
import type { ComponentKind } from "../kind.js";

/** Database shards with a migration state (docs/model.md#shards). */
export const shardsModel: ComponentKind = {
  kinds: ["shards"],
  docsAnchor: "shards",
  faultEffects: [],

  initialKnobs(raw) {
    return { [MIGRATED_KNOB]: (raw as ShardsSpec).migrated };
  },

  create() {
    return null;
  },

  checkKnob(c, knob, value) {
    return checkShardsKnob(c.spec as ShardsSpec, knob, value);
  },

  serve(c) {
    c.servedRps = 0;
    c.ownErrorRate = 0;
  },

  aggregate() {},
};
