/**
 * Builds the field app (src/client/field) into dist/client: the page script and the service worker
 * bundled by esbuild, the stylesheet, and the PNG icons drawn from one SVG with resvg. Runs before
 * `npm start` and `npm test` and after `npm install`; the server reads dist/client when asked.
 * The service worker carries a version (a hash of everything it caches): a new build is a new worker.
 */
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Resvg } from "@resvg/resvg-js";
import { build } from "esbuild";

const root = path.resolve(import.meta.dirname, "..");
const src = path.join(root, "src/client/field");
const out = path.join(root, "dist/client");
fs.mkdirSync(path.join(out, "icons"), { recursive: true });

/** Bundles one script of the field app into dist/client as `name.js`; `define` sets build-time constants. */
const bundle = (name: string, entry: string, define?: Record<string, string>) =>
  build({
    entryPoints: { [name]: path.join(src, entry) },
    bundle: true,
    minify: true,
    format: "iife",
    target: "es2020",
    outdir: out,
    ...(define ? { define } : {}),
    logLevel: "warning",
  });

const started = performance.now();
await bundle("field", "app.ts");
fs.copyFileSync(path.join(src, "field.css"), path.join(out, "field.css"));

/** The icon: a book and a phone on the movement's red, with a safe zone for the maskable one. */
function iconSvg(size: number, maskable: boolean) {
  const pad = maskable ? size * 0.2 : size * 0.08;
  const inner = size - 2 * pad;
  const r = maskable ? 0 : size * 0.18;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}" viewBox="0 0 ${size} ${size}">
<rect width="${size}" height="${size}" rx="${r}" fill="#b3261e"/>
<g transform="translate(${pad} ${pad}) scale(${inner / 100})">
<rect x="30" y="8" width="40" height="72" rx="6" fill="#fff"/>
<rect x="35" y="16" width="30" height="50" fill="#ffd54f"/>
<circle cx="50" cy="73" r="3.5" fill="#b3261e"/>
<path d="M8 82 Q29 74 50 86 Q71 74 92 82 L92 94 Q71 86 50 98 Q29 86 8 94 Z" fill="#ffd54f"/>
</g></svg>`;
}
for (const [name, size, maskable] of [
  ["icon-192.png", 192, false],
  ["icon-512.png", 512, false],
  ["maskable-512.png", 512, true],
] as const) {
  const png = new Resvg(iconSvg(size, maskable)).render().asPng();
  fs.writeFileSync(path.join(out, "icons", name), png);
}

const cached = [
  "field.js",
  "field.css",
  "icons/icon-192.png",
  "icons/icon-512.png",
  "icons/maskable-512.png",
];
const hash = createHash("sha256");
for (const f of cached) hash.update(fs.readFileSync(path.join(out, f)));
for (const f of ["src/features/field/shell.tsx", "src/lib/i18n/parts/field.ts"])
  hash.update(fs.readFileSync(path.join(root, f)));
const version = hash.digest("hex").slice(0, 12);
await bundle("sw", "sw.ts", { __VERSION__: JSON.stringify(version) });
fs.writeFileSync(path.join(out, "version.json"), JSON.stringify({ version }));
console.log(`field app built (${version}) in ${Math.round(performance.now() - started)} ms`);
