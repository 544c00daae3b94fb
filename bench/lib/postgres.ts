import pg from "pg";

/** Runs one statement on the server as its own connection (create or drop a database). */
export async function admin(serverUrl: string, query: string) {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(query);
  } finally {
    await client.end();
  }
}

/** A new, empty database `name` on the server (one a run left behind dropped first); its URL. */
export async function freshDatabase(serverUrl: string, name: string): Promise<URL> {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  await admin(serverUrl, `drop database if exists ${name} with (force)`);
  await admin(serverUrl, `create database ${name}`);
  return url;
}
