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
