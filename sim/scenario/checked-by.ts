// Lets a zod refinement reuse a parser that throws InputError, keeping its expected/found/hint
// so the loader can report them at the right line.
import type { z } from "zod";
import { InputError } from "../core/errors.js";

/** A superRefine callback adding a custom issue with expected/found/hint when `parse` throws an InputError. */
export function checkedBy(parse: (value: unknown) => unknown) {
  return (value: unknown, ctx: z.RefinementCtx) => {
    try {
      parse(value);
    } catch (e) {
      if (!(e instanceof InputError)) throw e;
      ctx.addIssue({ code: "custom", message: e.message, params: { expected: e.expected, found: e.found, hint: e.hint } });
    }
  };
}
