// The synthetic commune generator lives with the demo; benchmarks and tests use the same one.
export * from "../../src/features/demo/generate.ts";
