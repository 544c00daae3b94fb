// A node:test reporter (see scripts/run-tests.ts, TEST_FILE_TIMES): each test file's top-level
// tests' time, slowest first, so that CI's stages can be kept under their budget.
export default async function* fileTimes(source) {
  const perFile = new Map();
  for await (const event of source) {
    if ((event.type === "test:pass" || event.type === "test:fail") && event.data.nesting === 0) {
      const file = event.data.file ?? "?";
      perFile.set(file, (perFile.get(file) ?? 0) + (event.data.details?.duration_ms ?? 0));
    }
  }
  const rows = [...perFile].sort((a, b) => b[1] - a[1]);
  const total = rows.reduce((n, [, ms]) => n + ms, 0);
  for (const [file, ms] of rows)
    yield `${(ms / 1000).toFixed(1).padStart(8)} s  ${file.replace(`${process.cwd()}/`, "")}\n`;
  yield `${(total / 1000).toFixed(1).padStart(8)} s  in all (${rows.length} files)\n`;
}
