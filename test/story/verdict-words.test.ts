// The verdict's words: what "PASS" means for this run, said with the system's state, by the rule
// in sim/story/verdict-words.ts's header, with the label from the one rule (verdictLabel).
import { describe, expect, it } from "vitest";
import { expectationVerdict, type StoryExpectation } from "../../sim/story/index.js";

const held = (expected: string, kind: StoryExpectation["kind"] = "finding"): StoryExpectation => ({ passed: true, kind, expected });
const failed: StoryExpectation = { passed: false, kind: "threshold", expected: "front.availability < 0.1" };
const value = held("app.availability >= 0.99", "threshold");

describe("expectationVerdict", () => {
  it("says an outage was reproduced only when the expectations describe a failure and the system had one", () => {
    expect(expectationVerdict({ expectations: [held("at least one cascade finding"), value], system: { state: "outage" } })).toEqual({ label: "PASS", met: 2, total: 2, vacuous: 0, text: "outage reproduced as expected (2/2)" });
    expect(expectationVerdict({ expectations: [held("depth >= 2", "cascadeDepth")], system: { state: "degraded" } }).text).toBe("degradation reproduced as expected (1/1)");
    // Value checks alone do not describe a failure: the pass claims no more than it checked.
    expect(expectationVerdict({ expectations: [value], system: { state: "outage" } }).text).toBe("expectations met (1/1)");
  });

  it("says prevented only for a healthy system whose expectations say a finding must not occur", () => {
    expect(expectationVerdict({ expectations: [held("no lostUpdate finding"), value], system: { state: "healthy" } }).text).toBe("prevented as expected (2/2)");
    expect(expectationVerdict({ expectations: [held("no lostUpdate finding")], system: { state: "degraded" } }).text).toBe("expectations met (1/1)");
    expect(expectationVerdict({ expectations: [value], system: { state: "healthy" } }).text).toBe("expectations met (1/1)");
    // A vacuous "no finding" proves nothing, so it prevents nothing.
    expect(expectationVerdict({ expectations: [{ ...held("no lostUpdate finding"), vacuous: "never matches" }], system: { state: "healthy" } })).toMatchObject({ vacuous: 1, text: "expectations met (1/1)" });
  });

  it("fails with the count when an expectation failed, whatever the system did", () => {
    expect(expectationVerdict({ expectations: [held("at least one cascade finding"), failed], system: { state: "healthy" } })).toEqual({ label: "FAIL", met: 1, total: 2, vacuous: 0, text: "expectations not met (1/2)" });
  });

  it("fails a run that stopped early even when every expectation held, and judges nothing without expectations", () => {
    expect(expectationVerdict({ expectations: [value], incomplete: "stopped after 10 events (--max-events)", system: { state: "healthy" } })).toMatchObject({ label: "FAIL", text: "run stopped early: stopped after 10 events (--max-events)" });
    expect(expectationVerdict({ expectations: [], system: { state: "outage" } })).toMatchObject({ label: "NOT JUDGED", text: "not judged: no expectations" });
  });
});
