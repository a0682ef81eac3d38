// Explains why a transition was taken: the state, what triggered it, and what its guard
// observed (the leaf observations that decided it), e.g. `idle: web.latencyMsP95 = 93.2 > 80`.
import type { GuardNode, Observations } from "./guards.js";

/** What an action needs to explain the transition it runs on. */
export interface Because {
  state: string;
  /** `on wake` or `after 2m`. */
  trigger: string;
  guard: GuardNode | null;
}

/**
 * The reason sentence for an action on a transition whose guard just held. Walks the guard in
 * evaluation order, following and/or short-circuiting, so it only reads observations made in
 * this evaluation. Pure.
 */
export function explain(because: Because, observations: Observations): string {
  const where = because.trigger === "on wake" ? because.state : `${because.state} ${because.trigger}`;
  if (!because.guard) return `${because.state}: ${because.trigger}`;
  const seen = deciding(because.guard, true, observations);
  return seen.length ? `${where}: ${seen.join(", ")}` : `${because.state}: ${because.trigger}`;
}

/** Whether `node` held at its last evaluation. */
function held(node: GuardNode, observations: Observations): boolean {
  switch (node.guard.type) {
    case "all":
      return node.children.every((c) => held(c, observations));
    case "any":
      return node.children.some((c) => held(c, observations));
    case "not":
      return !held(node.children[0], observations);
    default:
      return observations.get(node.id)?.passed ?? false;
  }
}

/** The observations that made `node` evaluate to `outcome`. */
function deciding(node: GuardNode, outcome: boolean, observations: Observations): string[] {
  switch (node.guard.type) {
    case "all":
    case "any": {
      // all true / any false: every child mattered; all false / any true: the first child that decided it.
      const everyChild = (node.guard.type === "all") === outcome;
      if (everyChild) return node.children.flatMap((c) => deciding(c, outcome, observations));
      const first = node.children.find((c) => held(c, observations) === outcome);
      return first ? deciding(first, outcome, observations) : [];
    }
    case "not":
      return deciding(node.children[0], !outcome, observations);
    default: {
      const o = observations.get(node.id);
      return o ? [o.text] : [];
    }
  }
}
