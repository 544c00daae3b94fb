/**
 * Compiles the server and the `bdhvs` command into dist/server: one esbuild bundle of our own code
 * (every package stays an `import` of node_modules), split at each dynamic import so that a command
 * loads only its own chunks. `bin/bdhvs.js` and `npm start` run it; tsx stays for `npm run dev`,
 * the tests and the benchmarks. Runs with the field app's build (scripts/build.ts): after
 * `npm install` and before `npm start`, `npm test` and `npm run bench`. About 0.3 s.
 *
 * Files found beside the code (migrations, the plan, the content, static assets, fonts through
 * createRequire) are found through `import.meta.url`: in the bundle, each module's `import.meta.url`
 * is its source file's URL, so every such path resolves as it does under tsx, from wherever the
 * repository is. dist/server/build.json lists the sources and their sizes and times: bin/bdhvs.js
 * checks them and falls back to tsx, with a warning, when the build is missing or older.
 */
import fs from "node:fs";
import path from "node:path";
import { build, type Plugin } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const out = path.join(root, "dist/server");
/** The entry points: the command, which reaches every other module by dynamic imports. */
const ENTRIES = {
  bin: path.join(root, "src/cli/bin.ts"),
  // Runs in its own thread (src/db/pglite-proxy.ts loads it by this name next to the bundle).
  "pglite-worker": path.join(root, "src/db/pglite-worker.ts"),
};

const IMPORT_META = /\bimport\.meta\.(url|dirname|filename)\b/g;

/** Gives each source module its own `import.meta.url` / `dirname` / `filename` in the bundle. */
const sourceLocation: Plugin = {
  name: "source-location",
  setup(b) {
    b.onLoad({ filter: /\.tsx?$/ }, async (args) => {
      const text = await fs.promises.readFile(args.path, "utf8");
      const rel = JSON.stringify(path.relative(out, args.path).split(path.sep).join("/"));
      const url = `new URL(${rel}, import.meta.url)`;
      const contents = text.replace(IMPORT_META, (_m, what: string) =>
        what === "url"
          ? `${url}.href`
          : what === "filename"
            ? `__bdhvsFileURLToPath(${url})`
            : `__bdhvsDirname(__bdhvsFileURLToPath(${url}))`,
      );
      const needsPath = contents !== text && /import\.meta\.(dirname|filename)/.test(text);
      const prelude = needsPath
        ? `import { fileURLToPath as __bdhvsFileURLToPath } from "node:url"; import { dirname as __bdhvsDirname } from "node:path";\n`
        : "";
      return { contents: prelude + contents, loader: args.path.endsWith(".tsx") ? "tsx" : "ts" };
    });
  },
};

const started = performance.now();
const result = await build({
  absWorkingDir: root,
  entryPoints: ENTRIES,
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20.11",
  packages: "external",
  outdir: out,
  // Entry and chunks side by side in dist/server: each import.meta.url above is relative to it.
  entryNames: "[name]",
  chunkNames: "[name]-[hash]",
  jsx: "automatic",
  jsxImportSource: "hono/jsx",
  keepNames: true,
  metafile: true,
  logLevel: "warning",
  plugins: [sourceLocation],
  // src/db/pglite-proxy.ts starts the compiled worker (dist/server/pglite-worker.js) when set.
  define: { __BDHVS_BUNDLED__: "true" },
});

const sources = Object.keys(result.metafile.inputs)
  .filter((f) => !f.startsWith("node_modules/") && !f.includes("/node_modules/"))
  .sort()
  .map((f) => {
    const stat = fs.statSync(path.join(root, f));
    return { file: f, size: stat.size, mtimeMs: stat.mtimeMs };
  });
// Files of an earlier build go once this one is complete (a chunk's name is its content's hash:
// a command already running from the previous build keeps the chunks that did not change).
const written = new Set(Object.keys(result.metafile.outputs).map((f) => path.resolve(root, f)));
for (const f of fs.readdirSync(out))
  if (f !== "build.json" && !written.has(path.join(out, f))) fs.rmSync(path.join(out, f), { force: true });
fs.writeFileSync(path.join(out, "build.json"), `${JSON.stringify({ sources }, null, 1)}\n`);
console.log(
  `server built (${sources.length} modules → ${Object.keys(result.metafile.outputs).length} files) in ${Math.round(performance.now() - started)} ms`,
);
