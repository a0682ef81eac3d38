// The largest file Crossfire reads (scenario, run file, report), in the CLI and the app alike:
// past it a file is refused by its size, before anything tries to hold it as one string
// (Node's strings stop near 512 MB, and a browser tab runs out of memory well before).

/** 256 MiB: a 100 k-event run file is ~40 MB; a week of telemetry is left out of files anyway. */
export const FILE_BYTES_MAX = 256 * 1024 * 1024;

/** Why a file of `bytes` is refused, naming its size and the limit, or null when it is readable. Pure. */
export function tooLargeProblem(name: string, bytes: number): string | null {
  if (bytes <= FILE_BYTES_MAX) return null;
  const mb = (n: number) => `${Math.round(n / (1024 * 1024))} MB`;
  return `${name} is ${mb(bytes)}, over the ${mb(FILE_BYTES_MAX)} Crossfire reads; hint: for a long run, write the run file without telemetry (it is re-derived) or run a shorter window`;
}
