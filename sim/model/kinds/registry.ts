// Every component kind, one line each: its spec module (the file format, sim/model/kinds/<kind>/
// spec.ts) and its model (the behaviour in the world, model.ts). The scenario loader and the
// world both read this list. Adding a kind: its folder (docs/model.md "Adding a component
// kind") and one line here.
import type { ComponentSpec } from "../../scenario/types.js";
import { clients } from "./clients/index.js";
import { configConsumer } from "./config-consumer/index.js";
import { dnsRecord } from "./dns-record/index.js";
import { documentStore } from "./document-store/index.js";
import { host } from "./host/index.js";
import { defineKind, type ComponentKind } from "./kind.js";
import { leaseTable } from "./lease-table/index.js";
import { loadBalancer } from "./load-balancer/index.js";
import { provisioner } from "./provisioner/index.js";
import { server } from "./server/index.js";
import { shards } from "./shards/index.js";

/** The registered kinds, in the order the file format lists them (the JSON Schema's `oneOf`). */
export const KINDS = [server, loadBalancer, documentStore, dnsRecord, clients, shards, configConsumer, leaseTable, host, provisioner] as const;

/** Every kind's model, normalised to one object shape. */
export const COMPONENT_MODELS: readonly ComponentKind[] = KINDS.map((k) => defineKind(k.model));

const BY_NAME = new Map<string, ComponentKind>();
for (const k of COMPONENT_MODELS) for (const name of k.kinds) BY_NAME.set(name, k);

/** The model of spec kind `name`. Throws when none handles it (a spec the scenario loader would have refused). */
export function componentKind(name: ComponentSpec["kind"]): ComponentKind {
  const k = BY_NAME.get(name);
  if (!k) throw new Error(`no component kind model handles kind ${JSON.stringify(name)} (sim/model/kinds/registry.ts)`);
  return k;
}

/** Spec kinds that a component fault with `effect` can target, in registry order. */
export function kindsAcceptingFault(effect: string): ComponentSpec["kind"][] {
  return COMPONENT_MODELS.flatMap((k) => ((k.faultEffects as readonly string[]).includes(effect) ? [...k.kinds] : []));
}
