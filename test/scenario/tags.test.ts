// YAML tags: the core schema's (!!str, !!int, ...) are allowed; any other tag, local (`!evil`) or
// YAML 1.1 (`!!binary`, `!!set`), is a located scenario error instead of being silently dropped.
import { describe, expect, it } from "vitest";
import { ScenarioError } from "../../sim/scenario/problems.js";
import { loadVariant } from "../../sim/scenario/load.js";

const scenario = (name: string, replicas = "2") => `name: ${name}
seed: 1
duration: 10m
components:
  - { id: web, kind: service, replicas: ${replicas}, capacityPerReplica: 100/s }
`;

function problems(text: string) {
  try {
    loadVariant(text, "tags.yaml");
  } catch (e) {
    if (e instanceof ScenarioError) return e.problems;
    throw e;
  }
  return [];
}

describe("YAML tags", () => {
  it("allows the core schema's tags", () => {
    expect(loadVariant(scenario("!!str tagged", "!!int 2"), "tags.yaml").scenario.name).toBe("tagged");
  });

  it.each(["!evil", "!!binary", "!!set", "!<tag:example.com,2000:x>"])("refuses %s with its line, column and path", (tag) => {
    const found = problems(scenario(`${tag} tagged`));
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ path: ["name"], line: 1, col: 7 });
    expect(found[0].found).toMatch(/^the tag /);
    expect(found[0].hint).toContain("remove the tag");
  });
});
