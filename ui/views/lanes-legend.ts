// The agent lanes' legend: the states that have a band (reserved ones striped) and the tick kinds
// that occur, as DOM items with data-legend-state / data-legend-kind.
import { statesShown, TICK_KINDS, type LaneIndex, type TickKind } from "./lanes-model.js";
import { RESERVED, TICK_STYLE } from "./lanes-style.js";

/** What the legend shows, as a string that changes exactly when its items would. Pure. */
export function legendKey(index: LaneIndex): string {
  const shown = statesShown(index);
  return `${index.states.filter((_, i) => shown[i]).join("\u0000")}|${index.kindCounts.map((n) => (n > 0 ? 1 : 0)).join("")}`;
}

/** The legend's items for `index`, states coloured by `colours`. */
export function legendItems(index: LaneIndex, colours: Map<string, string>): HTMLElement[] {
  const shown = statesShown(index);
  const states = index.states
    .filter((_, i) => shown[i])
    .map((state) => {
      const swatch = document.createElement("span");
      swatch.className = `lanes-swatch${RESERVED[state] ? ` lanes-swatch-${state}` : ""}`;
      swatch.style.background = colours.get(state)!;
      return item(swatch, state, { legendState: state });
    });
  const kinds = (Object.keys(TICK_STYLE) as TickKind[])
    .filter((k) => index.kindCounts[TICK_KINDS.indexOf(k)] > 0)
    .map((k) => {
      const style = TICK_STYLE[k];
      const swatch = document.createElement("span");
      swatch.className = "lanes-tick-swatch";
      swatch.style.background = style.fill;
      swatch.style.border = `1.5px ${style.dashed ? "dashed" : "solid"} ${style.stroke}`;
      // What the tick is told apart by (its outline, or its fill when it has none), for the contrast check.
      swatch.dataset.colour = style.stroke;
      return item(swatch, style.label, { legendKind: k });
    });
  return [...states, ...kinds];
}

function item(swatch: HTMLElement, label: string, data: Record<string, string>): HTMLElement {
  const el = document.createElement("span");
  el.className = "lanes-legend-item";
  Object.assign(el.dataset, data);
  el.append(swatch, label);
  return el;
}
