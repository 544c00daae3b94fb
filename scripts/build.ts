/**
 * `npm run build`: the field app (scripts/build-client.ts) into dist/client and the server and
 * `bdhvs` command (scripts/build-server.ts) into dist/server. Runs after `npm install` and before
 * `npm start`, `npm test` and `npm run bench`.
 */
import "./build-client.ts";
import "./build-server.ts";
