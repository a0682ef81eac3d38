// Every component kind the world model knows, one line each. Adding a kind: write its module
// (spec + behaviour, see docs/model.md "Adding a component kind") and add it here.
import type { ComponentSpec } from "../../scenario/types.js";
import { clientsKind } from "./clients/model.js";
import { configConsumerKind } from "./config-consumer/model.js";
import { dnsRecordKind } from "./dns-record/model.js";
import { documentStoreKind } from "./document-store/model.js";
import { defineKind, type ComponentKind } from "./kind.js";
import { leaseTableKind } from "./lease-table/model.js";
import { loadBalancerKind } from "./load-balancer/model.js";
import { serverKind } from "./server/model.js";
import { shardsKind } from "./shards/model.js";

/** The registered kinds. */
export const COMPONENT_KINDS: readonly ComponentKind[] = [
  serverKind,
  loadBalancerKind,
  documentStoreKind,
  dnsRecordKind,
  clientsKind,
  shardsKind,
  configConsumerKind,
  leaseTableKind,
].map(defineKind);

const BY_NAME = new Map<string, ComponentKind>();
for (const k of COMPONENT_KINDS) for (const name of k.kinds) BY_NAME.set(name, k);

/** The module of spec kind `name`. Throws when no module handles it (a spec the scenario loader should have refused). */
export function componentKind(name: ComponentSpec["kind"]): ComponentKind {
  const k = BY_NAME.get(name);
  if (!k) throw new Error(`no component kind module handles kind ${JSON.stringify(name)}`);
  return k;
}

/** Spec kinds that a component fault with `effect` can target, in registry order. */
export function kindsAcceptingFault(effect: string): ComponentSpec["kind"][] {
  return COMPONENT_KINDS.flatMap((k) => ((k.faultEffects as readonly string[]).includes(effect) ? [...k.kinds] : []));
}
