// Checks the event queue: (time, priority, seq) order, FIFO ties, agreement with a sorted-array model, growth, empty pop.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventQueue, PRIORITY_MAX } from "../../sim/core/queue.js";

interface Entry {
  time: number;
  priority: number;
  seq: number;
  payload: number;
}

function byKey(a: Entry, b: Entry): number {
  return a.time - b.time || a.priority - b.priority || a.seq - b.seq;
}

/** Pops everything, recording the key the queue reports for each entry. */
function drain(q: EventQueue): Entry[] {
  const out: Entry[] = [];
  while (q.size > 0) {
    const payload = q.pop();
    out.push({ time: q.poppedTime, priority: q.poppedPriority, seq: q.poppedSeq, payload });
  }
  return out;
}

// Small ranges make equal times and priorities common, which is where ordering bugs hide.
const entryArb = fc.record({
  time: fc.integer({ min: 0, max: 20 }),
  priority: fc.integer({ min: 0, max: 4 }),
});

describe("EventQueue", () => {
  it("pops entries sorted by (time, priority, seq), FIFO among equal (time, priority)", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 300 }), (pushes) => {
        const q = new EventQueue(16);
        const pushed: Entry[] = pushes.map((e, i) => ({ ...e, payload: i, seq: q.push(e.time, e.priority, i) }));
        expect(pushed.map((e) => e.seq)).toEqual(pushed.map((_, i) => i));
        const popped = drain(q);
        expect(popped).toEqual([...pushed].sort(byKey));
        for (let i = 1; i < popped.length; i++) {
          const a = popped[i - 1];
          const b = popped[i];
          if (a.time === b.time && a.priority === b.priority) expect(a.payload).toBeLessThan(b.payload);
        }
      }),
      { numRuns: 300 },
    );
  });

  it("agrees with a sorted-array model under interleaved pushes and pops", () => {
    const opArb = fc.oneof(
      { weight: 3, arbitrary: entryArb.map((e) => ({ kind: "push" as const, ...e })) },
      { weight: 2, arbitrary: fc.constant({ kind: "pop" as const }) },
    );
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 400 }), (ops) => {
        const q = new EventQueue(16);
        const model: Entry[] = [];
        let nextPayload = 0;
        for (const op of ops) {
          if (op.kind === "push") {
            const payload = nextPayload++;
            const seq = q.push(op.time, op.priority, payload);
            model.push({ time: op.time, priority: op.priority, seq, payload });
            model.sort(byKey);
          } else if (model.length > 0) {
            const expected = model.shift()!;
            expect(q.pop()).toBe(expected.payload);
            expect([q.poppedTime, q.poppedPriority, q.poppedSeq]).toEqual([expected.time, expected.priority, expected.seq]);
          } else {
            expect(() => q.pop()).toThrow(/empty/);
          }
          expect(q.size).toBe(model.length);
          expect(q.peekTime()).toBe(model.length > 0 ? model[0].time : Infinity);
        }
        expect(drain(q).map((e) => e.payload)).toEqual(model.map((e) => e.payload));
      }),
      { numRuns: 300 },
    );
  });

  it("grows past its initial capacity and keeps every entry in order (10 000 pushes)", () => {
    const q = new EventQueue(16);
    const n = 10_000;
    // A fixed permutation of times with many duplicates: time = (i * 7919) % 1000.
    for (let i = 0; i < n; i++) q.push((i * 7919) % 1000, i % 3, i);
    expect(q.size).toBe(n);
    const popped = drain(q);
    expect(popped.length).toBe(n);
    expect(new Set(popped.map((e) => e.payload)).size).toBe(n);
    for (let i = 1; i < n; i++) expect(byKey(popped[i - 1], popped[i])).toBeLessThan(0);
    expect(popped[0]).toEqual({ time: 0, priority: 0, seq: 0, payload: 0 });
  });

  it("keeps working after being emptied and refilled", () => {
    const q = new EventQueue();
    q.push(5, 0, 1);
    expect(q.pop()).toBe(1);
    expect(q.size).toBe(0);
    q.push(3, 0, 2);
    q.push(1, 0, 3);
    expect(q.pop()).toBe(3);
    // seq keeps counting across the whole life of the queue.
    expect(q.poppedSeq).toBe(2);
    expect(q.pop()).toBe(2);
  });

  it("orders lower priority numbers first at equal time, and time before priority", () => {
    const q = new EventQueue();
    q.push(10, 5, 100);
    q.push(10, 0, 101);
    q.push(9, 99, 102);
    q.push(10, 5, 103);
    q.push(10, PRIORITY_MAX, 104);
    expect([q.pop(), q.pop(), q.pop(), q.pop(), q.pop()]).toEqual([102, 101, 100, 103, 104]);
    expect(q.poppedPriority).toBe(PRIORITY_MAX);
  });

  it("refuses priorities outside [0, PRIORITY_MAX] or fractional, naming the value", () => {
    const q = new EventQueue();
    expect(() => q.push(0, -1, 0)).toThrow("priority must be a whole number in [0, 255], got -1");
    expect(() => q.push(0, 256, 0)).toThrow(/got 256/);
    expect(() => q.push(0, 1.5, 0)).toThrow(/got 1.5/);
    expect(q.size).toBe(0);
  });

  it("reports Infinity from peekTime when empty and the earliest time otherwise", () => {
    const q = new EventQueue();
    expect(q.peekTime()).toBe(Infinity);
    q.push(30, 0, 0);
    q.push(20, 0, 0);
    expect(q.peekTime()).toBe(20);
  });

  it("throws a clear error when popping an empty queue", () => {
    const q = new EventQueue();
    expect(() => q.pop()).toThrow("EventQueue.pop: the queue is empty (check size or peekTime() first)");
    q.push(1, 0, 7);
    q.pop();
    expect(() => q.pop()).toThrow("EventQueue.pop: the queue is empty");
  });
});
