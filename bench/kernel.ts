// Kernel benchmark: events/s of sim/core/queue.ts EventQueue in a hold model (pop one, push one)
// at 1 k and 100 k pending, against a bare typed-array heap inlined here with the same workload,
// because the queue bounds how fast any scenario can run (budget: >= 5 M/s, within 1.5x of bare).
import { EventQueue } from "../sim/core/queue.js";
import { describeSamples, interleave, type BenchOptions, type BenchRow, type Sample } from "./measure.js";

const TABLE_SIZE = 1 << 16;
const TABLE_MASK = TABLE_SIZE - 1;
/** Delays are whole ms in [0, DELAY_MS_MAX): with 1 k+ entries pending, many share a time. */
const DELAY_MS_MAX = 100;
const PRIORITIES = 3;
const RATE_MIN = 5e6;
const SLOWDOWN_MAX = 1.5;

/** The precomputed pseudo-random workload both loops read, so neither pays for random numbers. */
interface Workload {
  delays: Int32Array;
  priorities: Int32Array;
}

// Order-sensitive checksum of the payloads popped by the last run: it keeps the JIT from dropping
// the loops and lets checkOrder compare the two heaps' pop sequences.
let lastChecksum = 0;

/** Fills the delay and priority tables from a fixed xorshift32 sequence. Pure. */
function makeWorkload(): Workload {
  const delays = new Int32Array(TABLE_SIZE);
  const priorities = new Int32Array(TABLE_SIZE);
  let x = 0x9e3779b9 | 0;
  const next = () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
  for (let i = 0; i < TABLE_SIZE; i++) {
    delays[i] = next() % DELAY_MS_MAX;
    priorities[i] = next() % PRIORITIES;
  }
  return { delays, priorities };
}

/** Hold model on EventQueue: `pending` entries, then `events` rounds of pop + push(t + delay). */
function queueHold(w: Workload, pending: number, events: number): Sample {
  const q = new EventQueue();
  const delays = w.delays;
  const priorities = w.priorities;
  for (let i = 0; i < pending; i++) q.push(delays[i & TABLE_MASK], priorities[i & TABLE_MASK], i);
  let k = pending;
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (let e = 0; e < events; e++) {
    const payload = q.pop();
    checksum = (Math.imul(checksum, 31) + payload) | 0;
    const d = k++ & TABLE_MASK;
    q.push(q.poppedTime + delays[d], priorities[d], payload);
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  lastChecksum = checksum;
  return { ops: events, seconds };
}

/**
 * The same hold model on a bare binary heap inlined in the loop: parallel Float64 time, Float64
 * seq and Int32 payload arrays ordered by (time, seq), with branchless child selection.
 */
function bareHold(w: Workload, pending: number, events: number): Sample {
  const cap = pending + 1;
  const times = new Float64Array(cap);
  const seqs = new Float64Array(cap);
  const payloads = new Int32Array(cap);
  const delays = w.delays;
  let n = 0;
  let nextSeq = 0;
  for (let j = 0; j < pending; j++) {
    const time = delays[j & TABLE_MASK];
    const seq = nextSeq++;
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      payloads[i] = payloads[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = j;
  }
  let k = pending;
  let checksum = 0;
  const start = process.hrtime.bigint();
  for (let e = 0; e < events; e++) {
    // Pop the root and sift the last entry down.
    const now = times[0];
    const top = payloads[0];
    checksum = (Math.imul(checksum, 31) + top) | 0;
    const last = --n;
    const lt = times[last];
    const ls = seqs[last];
    const lp = payloads[last];
    const half = last >> 1;
    let i = 0;
    while (i < half) {
      let c = 2 * i + 1;
      const r = c + 1;
      c += (r < last && (times[r] < times[c] || (times[r] === times[c] && seqs[r] < seqs[c]))) as unknown as number;
      const ct = times[c];
      if (lt < ct || (lt === ct && ls < seqs[c])) break;
      times[i] = ct;
      seqs[i] = seqs[c];
      payloads[i] = payloads[c];
      i = c;
    }
    times[i] = lt;
    seqs[i] = ls;
    payloads[i] = lp;
    // Push the same payload back at now + delay.
    const time = now + delays[k++ & TABLE_MASK];
    const seq = nextSeq++;
    i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const pt = times[p];
      if (pt < time || (pt === time && seqs[p] < seq)) break;
      times[i] = pt;
      seqs[i] = seqs[p];
      payloads[i] = payloads[p];
      i = p;
    }
    times[i] = time;
    seqs[i] = seq;
    payloads[i] = top;
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  lastChecksum = checksum;
  return { ops: events, seconds };
}

/**
 * Checks, untimed, that both heaps pop in key order and that the workload has ties, so the
 * comparison is between two correct queues on a tie-heavy load. Throws on a violation.
 */
function checkOrder(w: Workload): { tieShare: number } {
  const q = new EventQueue();
  const pending = 1000;
  for (let i = 0; i < pending; i++) q.push(w.delays[i], w.priorities[i], i);
  let prevT = -1;
  let prevP = -1;
  let prevS = -1;
  let ties = 0;
  let pushedSeq = -1;
  const rounds = 100_000;
  for (let e = 0; e < rounds; e++) {
    const payload = q.pop();
    const t = q.poppedTime;
    const p = q.poppedPriority;
    const s = q.poppedSeq;
    // Keys leave in order, except that the entry pushed since the last pop may precede it (a
    // zero delay with a lower priority); time itself never goes back.
    const earlier = t < prevT || (t === prevT && (p < prevP || (p === prevP && s < prevS)));
    if (t < prevT || (earlier && s !== pushedSeq)) {
      throw new Error(`EventQueue popped (${t}, ${p}, ${s}) after (${prevT}, ${prevP}, ${prevS}) at round ${e}`);
    }
    // A pushed entry can never be earlier than now, so this is a tie only when t repeats.
    if (t === prevT) ties++;
    prevT = t;
    prevP = p;
    prevS = s;
    const d = (pending + e) & TABLE_MASK;
    pushedSeq = q.push(t + w.delays[d], w.priorities[d], payload);
  }
  // With every priority equal, (time, priority, seq) order is (time, seq) order, so the bare heap
  // must pop exactly the same payload sequence as EventQueue.
  const flat: Workload = { delays: w.delays, priorities: new Int32Array(TABLE_SIZE) };
  queueHold(flat, pending, rounds);
  const expected = lastChecksum;
  bareHold(flat, pending, rounds);
  if (lastChecksum !== expected) throw new Error("the bare heap popped a different sequence than EventQueue with equal priorities");
  return { tieShare: ties / rounds };
}

/** Runs the kernel benchmark and returns one row per pending size. Not pure: reads the real clock. */
export function runKernelBench(options: BenchOptions, eventsPerRun = 2_000_000): BenchRow[] {
  const w = makeWorkload();
  const { tieShare } = checkOrder(w);
  const rows: BenchRow[] = [];
  for (const pending of [1_000, 100_000]) {
    const r = interleave(
      {
        eventQueue: () => queueHold(w, pending, eventsPerRun),
        bare: () => bareHold(w, pending, eventsPerRun),
      },
      options,
    );
    const measured = r.eventQueue.rate;
    const baseline = r.bare.rate;
    const slowdown = baseline / measured;
    rows.push({
      name: `kernel hold, ${pending >= 1000 ? `${pending / 1000} k` : pending} pending`,
      measured,
      baseline,
      unit: "events/s",
      ratio: slowdown,
      target: `>= 5 M/s and <= ${SLOWDOWN_MAX}x bare`,
      pass: measured >= RATE_MIN && slowdown <= SLOWDOWN_MAX,
      samples: { measured: r.eventQueue.samples, baseline: r.bare.samples },
      details: {
        eventsPerRun,
        delaysMs: `0..${DELAY_MS_MAX - 1} (integers), priorities 0..${PRIORITIES - 1}`,
        shareOfPopsTiedWithPrevious: Number(tieShare.toFixed(3)),
        eventQueueEventsPerSecond: describeSamples(r.eventQueue.samples),
        bareEventsPerSecond: describeSamples(r.bare.samples),
        bareMeetsRateTarget: baseline >= RATE_MIN,
      },
    });
  }
  return rows;
}
