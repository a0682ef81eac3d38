// Placeholder while this view is being written (replaced before it lands).
import type { Store } from "../state/store.js";

export function mountCausal(root: HTMLElement, store: Store): void {
  root.innerHTML = "<h2>causal</h2>";
  void store;
}
