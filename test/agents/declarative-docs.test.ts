// docs/agents.md stays true: every guard and action of the library has a section whose YAML
// examples pass the schema, and the worked example loads, runs and does what the page says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { runScenario } from "../../sim/engine/engine.js";
import { ACTION_TYPES, GUARD_TYPES, actionSchema, guardSchema, valueSchema } from "../../sim/scenario/declarative-schema.js";
import { repoPath, scenarioFromYaml } from "../helpers/scenarios.js";

const page = readFileSync(repoPath("docs/agents.md"), "utf8");

/** The text of the section under `heading`, up to the next heading of the same or a higher level outside code blocks. */
function section(heading: string): string {
  const lines = page.split("\n");
  const start = lines.indexOf(heading);
  expect(start, `docs/agents.md has no "${heading}"`).toBeGreaterThanOrEqual(0);
  const level = heading.split(" ")[0].length;
  let fenced = false;
  let end = start + 1;
  for (; end < lines.length; end++) {
    if (lines[end].startsWith("```")) fenced = !fenced;
    const m = /^(#+) /.exec(lines[end]);
    if (!fenced && m && m[1].length <= level) break;
  }
  return lines.slice(start + 1, end).join("\n");
}

/** The YAML code blocks of a section, each split into its top-level entries. */
function examples(text: string): unknown[] {
  const blocks = [...text.matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) => block.split(/\n(?=[^\s#])/).filter((chunk) => chunk.trim() && !chunk.trim().startsWith("#")).map((chunk) => parse(chunk)));
}

describe("docs/agents.md", () => {
  it.each(GUARD_TYPES.map((t) => [t]))("documents the %s guard with examples the schema accepts", (type) => {
    const heading = ["all", "any", "not"].includes(type) ? "### all, any, not" : `### ${type}`;
    const found = examples(section(heading)) as { guard: unknown }[];
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) expect(guardSchema.safeParse(e.guard).error).toBeUndefined();
    expect(JSON.stringify(found)).toContain(`"${type}":`);
  });

  it.each(ACTION_TYPES.map((t) => [t]))("documents the %s action with examples the schema accepts", (type) => {
    const found = examples(section(`### ${type}`)).flat() as object[];
    expect(found.length).toBeGreaterThan(0);
    for (const e of found) {
      expect(Object.keys(e)[0]).toBe(type);
      expect(actionSchema.safeParse(e).error).toBeUndefined();
    }
  });

  it("has value examples the schema accepts", () => {
    const found = examples(section("## Values")) as { value: unknown }[];
    expect(found.length).toBe(7);
    for (const e of found) expect(valueSchema.safeParse(e.value).error).toBeUndefined();
  });

  describe("the worked example", () => {
    const yaml = section("## Worked example").split("```yaml\n")[1].split("```")[0];
    const run = runScenario(scenarioFromYaml(yaml));
    const events = run.log.filter((r) => r.type === "replicas.scaled" || r.type === "intent.published");
    const cost = events.filter((r) => r.actor === "cost");
    const guardian = events.filter((r) => r.actor === "guardian");

    it("announces, then scales out 30 s later with the version it planned from, both caused by the cost agent's write", () => {
      const [intent, write] = guardian;
      expect(intent).toMatchObject({ type: "intent.published", data: { knob: "replicas", value: 6, reason: "watching: web.latencyMsP95 = 68.5 > 50, no intent published on web.replicas" } });
      expect(write).toMatchObject({ type: "replicas.scaled", t: intent.t + 30_000, target: "web", data: { from: 4, to: 6, reason: "announced: after 30s", expectedVersion: 1 } });
      expect(intent.causes).toContain(cost[0].seq);
      expect(write.causes).toContain(cost[0].seq);
      expect(cost[1].causes).toContain(write.seq);
    });

    it("pages after the second revert, citing it, and its lane shows the states the page lists", () => {
      const paging = guardian.at(-1)!;
      expect(paging).toMatchObject({ target: "db", data: { to: 1, reason: "page: web.replicas keeps being reverted" } });
      expect(paging.causes).toContain(cost.filter((r) => r.seq < paging.seq).at(-1)!.seq);
      expect(run.agentStates.filter((s) => s.agent === "guardian").map((s) => s.state)).toEqual(["watching", "announced", "holding", "watching", "announced", "holding", "paged"]);
    });
  });
});
