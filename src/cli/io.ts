import { createInterface } from "node:readline";
import type { Lang } from "../lib/i18n/index.ts";
import { t } from "../lib/i18n/index.ts";

/**
 * Asks the server holding the data folder (its local channel, `DATA_DIR/bdhvs.sock`); a server that
 * does not answer is a clear message naming the folder, the process and the socket.
 */
export async function viaServer<R>(
  lang: Lang,
  held: { dataDir: string; pid: number | string; socket: string },
  ask: () => Promise<R>,
): Promise<R> {
  try {
    return await ask();
  } catch (e) {
    throw new CliError(
      t(lang, "backup.server_unreachable", {
        dir: held.dataDir,
        pid: held.pid,
        socket: held.socket,
        detail: (e as Error).message,
      }),
    );
  }
}

/**
 * Reads a password: from a terminal, asked twice without echo; otherwise the first line of standard input.
 */
export async function readPassword(lang: Lang, opts: { confirm: boolean }): Promise<string> {
  const stdin = process.stdin;
  if (!stdin.isTTY) {
    const chunks: Buffer[] = [];
    for await (const chunk of stdin) chunks.push(chunk as Buffer);
    return (Buffer.concat(chunks).toString("utf8").split(/\r?\n/)[0] ?? "").normalize("NFC");
  }
  const first = await askHidden(t(lang, "cli.password_prompt"));
  if (!opts.confirm) return first;
  const second = await askHidden(t(lang, "cli.password_again"));
  if (first !== second) throw new CliError(t(lang, "v.password_mismatch"));
  return first;
}

function askHidden(prompt: string): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const write = (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput;
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.includes(prompt)) write.call(rl, s);
    };
    rl.question(prompt, (answer) => {
      rl.close();
      process.stderr.write("\n");
      resolve(answer.normalize("NFC"));
    });
  });
}

/** An error whose message is meant for the user as it is (exit code 1, no stack). */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}
