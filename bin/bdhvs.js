#!/usr/bin/env node
// The `bdhvs` command. Runs the compiled output in dist/server (scripts/build-server.ts, built by
// `npm run build`, which runs after `npm install` and before `npm start`, `npm test` and
// `npm run bench`). When that build is missing or older than any of its sources (the sizes and
// times it recorded in dist/server/build.json), it says so and runs the sources through tsx.
import fs from "node:fs";

const root = new URL("../", import.meta.url);

/** True when dist/server was built from the sources as they are now. */
function buildIsFresh() {
  let sources;
  try {
    sources = JSON.parse(fs.readFileSync(new URL("dist/server/build.json", root), "utf8")).sources;
  } catch {
    return false;
  }
  if (!Array.isArray(sources) || sources.length === 0) return false;
  for (const s of sources) {
    const stat = fs.statSync(new URL(s.file, root), { throwIfNoEntry: false });
    if (!stat || stat.size !== s.size || stat.mtimeMs !== s.mtimeMs) return false;
  }
  return true;
}

if (buildIsFresh()) {
  await import("../dist/server/bin.js");
} else {
  const { register } = await import("tsx/esm/api");
  register();
  const { isLang, t } = await import("../src/lib/i18n/index.ts");
  const argv = process.argv.slice(2);
  const at = argv.findIndex((a) => a === "--lang" || a.startsWith("--lang="));
  const asked = at < 0 ? process.env.BDHVS_LANG : argv[at].includes("=") ? argv[at].slice(7) : argv[at + 1];
  process.stderr.write(`${t(isLang(asked) ? asked : "vi", "cli.build_stale")}\n`);
  await import("../src/cli/bin.ts");
}
