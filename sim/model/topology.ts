// Dependency order of components: callers before callees, with cycles reported by name.
import { InputError } from "../core/errors.js";

/**
 * Returns component indexes so that every component comes before the ones it sends load to.
 * Ties keep scenario order (deterministic). Throws InputError naming a cycle. Pure.
 */
export function topologicalOrder(ids: readonly string[], edges: readonly (readonly number[])[]): number[] {
  const n = ids.length;
  const state = new Uint8Array(n); // 0 new, 1 on stack, 2 done
  const post: number[] = [];
  const stack: number[] = [];
  const visit = (i: number): void => {
    state[i] = 1;
    stack.push(i);
    for (const j of edges[i]) {
      if (state[j] === 1) {
        const cycle = stack.slice(stack.indexOf(j)).map((k) => ids[k]);
        throw new InputError("components", "dependencies without cycles", `the cycle ${[...cycle, ids[j]].join(" -> ")}`, "remove one of these dependencies");
      }
      if (state[j] === 0) visit(j);
    }
    stack.pop();
    state[i] = 2;
    post.push(i);
  };
  for (let i = 0; i < n; i++) if (state[i] === 0) visit(i);
  return post.reverse();
}
