/// <reference lib="webworker" />
/**
 * The field app's service worker: it keeps the app itself (the page, its script, stylesheet, icons
 * and manifest) so the app opens without a network. It never touches /api: the page's outbox owns
 * every write and the work set lives in IndexedDB, so a new worker (a new version) can never lose a
 * queued visit. A new version installs beside the old one, then takes over and drops the old cache.
 */
declare const __VERSION__: string;
const sw = self as unknown as ServiceWorkerGlobalScope;

export {};

const CACHE = `bdhvs-field-${__VERSION__}`;
const SHELL = "/field/";
const FILES = [
  SHELL,
  "/field/field.js",
  "/field/field.css",
  "/field/manifest.webmanifest",
  "/field/icons/icon-192.png",
  "/field/icons/icon-512.png",
  "/field/icons/maskable-512.png",
];

sw.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(FILES.map((f) => new Request(f, { cache: "reload" })));
      await sw.skipWaiting();
    })(),
  );
});

sw.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const key of await caches.keys())
        if (key.startsWith("bdhvs-field-") && key !== CACHE) await caches.delete(key);
      await sw.clients.claim();
    })(),
  );
});

sw.addEventListener("message", (event) => {
  if (event.data === "version") event.source?.postMessage({ version: __VERSION__ });
});

sw.addEventListener("fetch", (event) => {
  const req = event.request;
  if (req.method !== "GET") return;
  const url = new URL(req.url);
  if (url.origin !== sw.location.origin || url.pathname.startsWith("/api/")) return;
  const isPage = req.mode === "navigate" && url.pathname.startsWith("/field");
  const key = isPage ? SHELL : FILES.includes(url.pathname) ? url.pathname : undefined;
  if (!key) return;
  // The app's files from the cache (they change only with a new worker); the network if missing.
  event.respondWith(
    (async () => {
      const cache = await caches.open(CACHE);
      const hit = await cache.match(key);
      if (hit) return hit;
      try {
        return await fetch(req);
      } catch {
        return (await cache.match(SHELL)) ?? Response.error();
      }
    })(),
  );
});
