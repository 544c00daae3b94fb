import { openAppDatabase } from "../../app-database.ts";
import type { Db } from "../../db/client.ts";
import { DataDirInUseError } from "../../db/lock.ts";
import { ROLES } from "../../db/schema.ts";
import { cliActor } from "../../features/audit/service.ts";
import { requestUserCommand, socketPath } from "../../features/backup/channel.ts";
import {
  createUser,
  getUserByUsername,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  type UserCtx,
} from "../../features/users/service.ts";
import { AppError } from "../../lib/errors.ts";
import { type Lang, t } from "../../lib/i18n/index.ts";
import { defineCommand, sharedOptions, stringOption } from "../command.ts";
import { communeOf } from "../commune.ts";
import { CliError, readPassword, viaServer } from "../io.ts";
import { type CliContext, configFor } from "../main.ts";

const ROLE_LIST = ROLES.join(", ");

const OPTIONS = {
  role: stringOption("--role ROLE", (lang) => t(lang, "cli.opt.role", { roles: ROLE_LIST })),
  village: { ...stringOption("--village CODE", "cli.opt.village"), multiple: true },
  unit: stringOption("--unit CODE", "cli.opt.unit"),
  name: stringOption("--name TEXT", "cli.opt.display_name"),
  ...sharedOptions("commune"),
} as const;

/** One `bdhvs user` command, parsed: what a running server is sent over its local channel. */
export type UserRequest = {
  sub: "add" | "list" | "disable" | "enable" | "passwd";
  username: string | undefined;
  values: { role?: string; village?: string[]; unit?: string; name?: string; commune?: string };
  lang: Lang;
};

const NEEDS_PASSWORD: readonly UserRequest["sub"][] = ["add", "passwd"];

/**
 * `bdhvs user …`. With the embedded database held by a running server, the command is sent to that
 * server over its local channel (`DATA_DIR/bdhvs.sock`, as `bdhvs backup` does) and runs there.
 */
export const runUser = defineCommand({
  help: (lang, options) => [t(lang, "cli.user_usage"), "", ...options].join("\n"),
  options: OPTIONS,
  helpLayout: { width: 17, common: ["data-dir", "lang"] },

  // The subcommand comes first; the options and the username follow it.
  args: (args) => args.slice(1),
  run: ({ ctx, values, positionals, usage }) => user(ctx, values, positionals, () => usage().message),
});

async function user(
  ctx: CliContext,
  values: UserRequest["values"],
  positionals: string[],
  help: () => string,
): Promise<number> {
  const sub = ctx.args[0];
  if (!sub) {
    process.stdout.write(`${help()}\n`);
    return 2;
  }
  const lang = ctx.lang;
  if (!["add", "list", "disable", "enable", "passwd"].includes(sub)) {
    throw new CliError(`${t(lang, "cli.unknown_command", { command: `user ${sub}` })}\n\n${help()}`, 2);
  }
  const username = positionals[0];
  if (sub !== "list" && (!username || positionals.length > 1)) throw new CliError(help(), 2);
  const req: UserRequest = { sub: sub as UserRequest["sub"], username, values, lang };
  const config = configFor(ctx);
  let database: Awaited<ReturnType<typeof openAppDatabase>>;
  try {
    database = await openAppDatabase(config);
  } catch (err) {
    if (!(err instanceof DataDirInUseError)) throw err;
    const password = NEEDS_PASSWORD.includes(req.sub) ? await askPassword(lang) : undefined;
    const held = { dataDir: config.dataDir, pid: err.pid, socket: socketPath(config.dataDir) };
    const answer = await viaServer(lang, held, () =>
      requestUserCommand(config.dataDir, { ...req, password }),
    );
    process.stdout.write(answer.stdout);
    process.stderr.write(answer.stderr);
    return answer.exitCode;
  }
  try {
    process.stdout.write(await performUserRequest(database.db, req, () => askPassword(lang)));
    return 0;
  } finally {
    await database.close();
  }
}

async function askPassword(lang: Lang): Promise<string> {
  const password = await readPassword(lang, { confirm: true });
  if (!password) throw new CliError(t(lang, "cli.password_empty"));
  return password;
}

/**
 * Runs a parsed `bdhvs user` command on a database and returns what it prints; the password is
 * asked for only when the command needs it (after the account is found). A running server calls
 * this for a command sent over its local channel, with the password the command read.
 */
export async function performUserRequest(
  db: Db,
  req: UserRequest,
  password: () => Promise<string>,
): Promise<string> {
  const { lang, values } = req;
  const username = req.username;
  const ctx: CliContext = { args: [], lang, dataDir: undefined, help: false };
  const communeId = await communeOf(ctx, db, values.commune);
  const uctx: UserCtx = {
    db,
    actor: cliActor(communeId),
    scope: { kind: "commune", communeId },
    communeId,
    installation: true,
  };
  // The commune's account, or a province admin (no commune's: the CLI manages them from any).
  let found = uctx;
  const byName = async () => {
    for (const ctx of [uctx, { ...uctx, scope: { kind: "installation" } } satisfies UserCtx]) {
      try {
        const user = await getUserByUsername({ ...ctx, username: username! });
        if (ctx.scope.kind === "installation" && user.role !== "province_admin") break;
        found = ctx;
        return user;
      } catch (err) {
        if (!(err instanceof AppError && err.code === "not_found")) throw err;
      }
    }
    throw new CliError(t(lang, "cli.user_not_found", { username: username! }));
  };
  switch (req.sub) {
    case "add": {
      const pw = await password();
      const user = await createUser({
        ...uctx,
        input: {
          username,
          displayName: values.name ?? username,
          role: values.role,
          password: pw,
          villages: values.village ?? [],
          unit: values.unit,
        },
      });
      return `${t(lang, "cli.user_added", { username: user.username, role: t(lang, `role.${user.role}`) })}\n`;
    }
    case "list": {
      const { items } = await listUsers({ ...uctx, page: 1, pageSize: 10_000 });
      const lines = [t(lang, "cli.user_list_header")];
      for (const u of items) {
        const scope = [...u.villages, ...(u.unit ? [u.unit] : [])].join(",") || "-";
        lines.push(
          `${u.username}\t${u.role}\t${scope}\t${u.disabled ? t(lang, "users.disabled") : t(lang, "users.active")}`,
        );
      }
      return `${lines.join("\n")}\n`;
    }
    case "disable":
    case "enable": {
      const user = await byName();
      await setUserDisabled({ ...found, id: user.id, disabled: req.sub === "disable" });
      return `${t(lang, req.sub === "disable" ? "cli.user_disabled" : "cli.user_enabled", { username: user.username })}\n`;
    }
    case "passwd": {
      const user = await byName();
      const pw = await password();
      await resetUserPassword({ ...found, id: user.id, password: pw });
      return `${t(lang, "cli.user_passwd", { username: user.username })}\n`;
    }
  }
}

/** A `bdhvs user` command sent by the CLI to the running server (the password included when needed). */
export type UserChannelRequest = UserRequest & { password?: string | undefined };

/** The server's side of the channel: runs the command on its own database, answers what it prints. */
export async function answerUserChannel(
  db: Db,
  body: unknown,
): Promise<{ stdout: string; stderr: string; exitCode: number }> {
  const req = body as UserChannelRequest;
  const lang: Lang = req?.lang === "en" ? "en" : "vi";
  try {
    const stdout = await performUserRequest(db, { ...req, lang }, async () => {
      if (!req.password) throw new CliError(t(lang, "cli.password_empty"));
      return req.password;
    });
    return { stdout, stderr: "", exitCode: 0 };
  } catch (err) {
    const e = cliErrorText(lang, err);
    return { stdout: "", stderr: e.text, exitCode: e.exitCode };
  }
}

/** What a command's error prints, and its exit code, for a command the server ran for the CLI. */
function cliErrorText(lang: Lang, err: unknown): { text: string; exitCode: number } {
  if (err instanceof CliError) return { text: `${err.message}\n`, exitCode: err.exitCode };
  if (err instanceof AppError) {
    const fields = Object.entries(err.fields).map(([k, m]) => `  ${k}: ${t(lang, m.key, m.params)}`);
    return {
      text: `${t(lang, "cli.error", { message: t(lang, err.msg.key, err.msg.params) })}\n${fields.join("\n")}${fields.length ? "\n" : ""}`,
      exitCode: 1,
    };
  }
  return {
    text: `${t(lang, "cli.error", { message: (err as Error)?.message ?? String(err) })}\n`,
    exitCode: 1,
  };
}
