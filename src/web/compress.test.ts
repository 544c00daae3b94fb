import assert from "node:assert/strict";
import { test } from "node:test";
import zlib from "node:zlib";
import { Hono } from "hono";
import { compress } from "hono/compress";
import { compressAnswers } from "./compress.ts";
import { isWholeAnswer, wholeAnswer } from "./whole-answer.ts";

const PAGE = `<!DOCTYPE html><p>${"Xã Tân Ninh ".repeat(400)}</p>`;

function appWith(middleware: ReturnType<typeof compress>) {
  const app = new Hono();
  app.use(middleware);
  app.get("/page", (c) => wholeAnswer(c.html(PAGE)));
  app.get("/small", (c) => c.html("<p>nhỏ</p>"));
  app.get("/vary", (c) => c.html(PAGE, 200, { Vary: "Cookie" }));
  app.get("/no-transform", (c) => c.html(PAGE, 200, { "Cache-Control": "no-transform" }));
  app.get("/png", (c) => c.body(new Uint8Array(4000), 200, { "Content-Type": "image/png" }));
  return app;
}

const headersOf = (res: Response) => [...res.headers].filter(([k]) => k !== "content-length");
const bodyOf = async (res: Response) => {
  const bytes = Buffer.from(await res.arrayBuffer());
  const encoding = res.headers.get("content-encoding");
  return encoding === "gzip"
    ? zlib.gunzipSync(bytes)
    : encoding === "deflate"
      ? zlib.inflateSync(bytes)
      : bytes;
};

test("answers are compressed as hono's compress() does: the same headers and text for each client", async () => {
  const ours = appWith(compressAnswers());
  const hono = appWith(compress());
  for (const path of ["/page", "/small", "/vary", "/no-transform", "/png"])
    for (const accept of [undefined, "gzip", "deflate", "gzip;q=0.5, deflate", "br", "*", "identity"]) {
      const init = accept ? { headers: { "accept-encoding": accept } } : {};
      const [a, b] = [await ours.request(path, init), await hono.request(path, init)];
      assert.deepEqual(headersOf(a), headersOf(b), `${path} ${accept}`);
      assert.deepEqual(await bodyOf(a), await bodyOf(b), `${path} ${accept}`);
    }
});

test("a page for a client that takes no compression stays the answer the handler made, its text whole", async () => {
  const res = await appWith(compressAnswers()).request("/page");
  assert.equal(res.headers.get("vary"), "Accept-Encoding");
  assert.ok(isWholeAnswer(res));
  assert.equal(await res.text(), PAGE);
});
