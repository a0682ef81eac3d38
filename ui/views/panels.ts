// Every panel's header: its title with a collapse and a maximise button. Collapsed panels are
// remembered per panel (localStorage, when the browser allows it); one panel at a time fills the
// window when maximised, and Escape gives it back its place. Views keep owning their content:
// this only wraps the <h2> each view renders first.

const STORAGE_KEY = "crossfire.panels.collapsed";

/**
 * Adds the header controls to each of `panels` (call after the views have mounted: each view
 * writes its own <h2>). Panels are identified by their id.
 */
export function mountPanelChrome(panels: readonly HTMLElement[]): void {
  const collapsed = new Set(readCollapsed());
  let maximised: HTMLElement | null = null;

  const setCollapsed = (panel: HTMLElement, value: boolean, button: HTMLButtonElement, title: string): void => {
    panel.dataset.collapsed = String(value);
    button.setAttribute("aria-expanded", String(!value));
    button.setAttribute("aria-label", `${value ? "Expand" : "Collapse"} ${title}`);
    button.title = value ? "Expand" : "Collapse";
    button.textContent = value ? "▸" : "▾";
    if (value) collapsed.add(panel.id);
    else collapsed.delete(panel.id);
    writeCollapsed([...collapsed]);
  };
  const setMaximised = (panel: HTMLElement | null): void => {
    if (maximised && maximised !== panel) {
      maximised.dataset.maximised = "false";
      syncMaximiseButton(maximised, false);
    }
    maximised = panel;
    if (panel) {
      panel.dataset.maximised = "true";
      syncMaximiseButton(panel, true);
      document.body.dataset.maximised = panel.id;
    } else delete document.body.dataset.maximised;
  };

  for (const panel of panels) {
    const title = panel.getAttribute("aria-label") ?? panel.id;
    let heading = panel.querySelector<HTMLHeadingElement>(":scope > h2");
    if (!heading) {
      heading = document.createElement("h2");
      heading.textContent = title;
    }
    const head = document.createElement("div");
    head.className = "panel-head";
    const tools = document.createElement("span");
    tools.className = "panel-tools";
    const collapse = button("panel-collapse", panel.id);
    const maximise = button("panel-maximise", panel.id);
    tools.append(collapse, maximise);
    panel.prepend(head);
    head.append(heading, tools);
    setCollapsed(panel, collapsed.has(panel.id), collapse, title);
    panel.dataset.maximised = "false";
    syncMaximiseButton(panel, false);
    collapse.addEventListener("click", () => {
      const value = panel.dataset.collapsed !== "true";
      // A maximised panel that collapses gives the window back first.
      if (value && maximised === panel) setMaximised(null);
      setCollapsed(panel, value, collapse, title);
    });
    maximise.addEventListener("click", () => {
      const value = maximised !== panel;
      if (value && panel.dataset.collapsed === "true") setCollapsed(panel, false, collapse, title);
      setMaximised(value ? panel : null);
      maximise.focus();
    });
  }

  document.addEventListener("keydown", (e) => {
    if (e.key !== "Escape" || !maximised || e.defaultPrevented) return;
    const panel = maximised;
    setMaximised(null);
    panel.querySelector<HTMLButtonElement>(".panel-maximise")?.focus();
    panel.scrollIntoView({ block: "nearest" });
  });
}

function button(className: string, panelId: string): HTMLButtonElement {
  const b = document.createElement("button");
  b.type = "button";
  b.className = `panel-tool ${className}`;
  b.setAttribute("aria-controls", panelId);
  return b;
}

function syncMaximiseButton(panel: HTMLElement, value: boolean): void {
  const b = panel.querySelector<HTMLButtonElement>(":scope > .panel-head .panel-maximise");
  if (!b) return;
  const title = panel.getAttribute("aria-label") ?? panel.id;
  b.setAttribute("aria-pressed", String(value));
  b.setAttribute("aria-label", `${value ? "Restore" : "Maximise"} ${title}`);
  b.title = value ? "Restore (Esc)" : "Maximise";
  b.replaceChildren(icon(value ? RESTORE_PATH : MAXIMISE_PATH));
}

// Drawn, not font glyphs: the window symbols are missing from many system fonts.
const MAXIMISE_PATH = "M2 2h10v10H2z";
const RESTORE_PATH = "M4 2h8v8M2 4h8v8H2z";

function icon(d: string): SVGSVGElement {
  const svg = document.createElementNS("http://www.w3.org/2000/svg", "svg");
  svg.setAttribute("viewBox", "0 0 14 14");
  svg.setAttribute("width", "12");
  svg.setAttribute("height", "12");
  svg.setAttribute("aria-hidden", "true");
  const path = document.createElementNS("http://www.w3.org/2000/svg", "path");
  path.setAttribute("d", d);
  path.setAttribute("fill", "none");
  path.setAttribute("stroke", "currentColor");
  path.setAttribute("stroke-width", "1.6");
  svg.append(path);
  return svg;
}

// Storage may be unavailable (privacy settings, file://): the panels then simply start expanded.
function readCollapsed(): string[] {
  try {
    const value: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "[]");
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

function writeCollapsed(ids: string[]): void {
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(ids));
  } catch {
    // Not remembered across reloads; the panel still collapses.
  }
}
