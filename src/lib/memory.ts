import v8 from "node:v8";
import vm from "node:vm";

let gc: (() => void) | undefined;

/**
 * A full garbage collection now. For long batch commands (a 200,000-row import): V8 lets garbage
 * pile up to about twice the live heap before collecting it, and the process's peak memory is what
 * that pile reaches; collecting every so often keeps the peak near the live heap for a few tens of
 * milliseconds each time. (`gc` is exposed at run time: the command has no node flags of its own.)
 */
export function collectGarbage(): void {
  if (!gc) {
    v8.setFlagsFromString("--expose-gc");
    gc = vm.runInNewContext("gc") as () => void;
  }
  gc();
}

/**
 * How far the heap may grow past what the last full collection kept, in percent, for the whole
 * process and its threads (V8's `--heap-growing-percent`, read at each collection; 0 leaves V8's
 * own, up to fourfold). A server's garbage — pages rendered, rows read — is many times what it
 * keeps, and V8's own factor let it pile up to ~370 MB of heap over ~80 MB live under
 * `npm run bench -- load` (config HEAP_GROWING_PERCENT).
 */
export function limitHeapGrowth(percent: number): void {
  if (percent > 0) v8.setFlagsFromString(`--heap-growing-percent=${percent}`);
}

/**
 * The growth a server sets when HEAP_GROWING_PERCENT is unset: 60 on the embedded database (its
 * process holds the database too, and its memory is the installation's), V8's own (0) on
 * PostgreSQL, where the app thread is the bottleneck and more collecting costs requests
 * (docs/architecture.md, "The heap's growth").
 */
export function heapGrowingPercentFor(kind: "pglite" | "postgres", configured: number | undefined): number {
  return configured ?? (kind === "pglite" ? 60 : 0);
}
