import { parseArgs } from "node:util";
import { openAppDatabase } from "../../app-database.ts";
import { ROLES } from "../../db/schema.ts";
import { cliActor } from "../../features/audit/service.ts";
import {
  createUser,
  getUserByUsername,
  listUsers,
  resetUserPassword,
  setUserDisabled,
  type UserCtx,
} from "../../features/users/service.ts";
import { AppError } from "../../lib/errors.ts";
import { t } from "../../lib/i18n/index.ts";
import { communeOf } from "../commune.ts";
import { CliError, readPassword } from "../io.ts";
import { type CliContext, configFor, tryParse } from "../main.ts";

const ROLE_LIST = ROLES.join(", ");

function help(ctx: CliContext) {
  const l = ctx.lang;
  return [
    t(l, "cli.user_usage"),
    "",
    `  --role ROLE      ${t(l, "cli.opt.role", { roles: ROLE_LIST })}`,
    `  --village CODE   ${t(l, "cli.opt.village")}`,
    `  --unit CODE      ${t(l, "cli.opt.unit")}`,
    `  --name TEXT      ${t(l, "cli.opt.display_name")}`,
    `  --commune CODE   ${t(l, "cli.opt.commune")}`,
    `  --data-dir DIR   ${t(l, "cli.opt.data_dir")}`,
    `  --lang vi|en     ${t(l, "cli.opt.lang")}`,
  ].join("\n");
}

export async function runUser(ctx: CliContext): Promise<number> {
  const [sub, ...rest] = ctx.args;
  if (ctx.help || !sub) {
    process.stdout.write(`${help(ctx)}\n`);
    return ctx.help ? 0 : 2;
  }
  const { values, positionals } = tryParse(ctx, () =>
    parseArgs({
      args: rest,
      allowPositionals: true,
      strict: true,
      options: {
        role: { type: "string" },
        village: { type: "string", multiple: true },
        unit: { type: "string" },
        name: { type: "string" },
        commune: { type: "string" },
      },
    }),
  );
  const lang = ctx.lang;
  if (!["add", "list", "disable", "enable", "passwd"].includes(sub)) {
    throw new CliError(`${t(lang, "cli.unknown_command", { command: `user ${sub}` })}\n\n${help(ctx)}`, 2);
  }
  const username = positionals[0];
  if (sub !== "list" && (!username || positionals.length > 1)) throw new CliError(help(ctx), 2);

  const database = await openAppDatabase(configFor(ctx));
  try {
    const communeId = await communeOf(ctx, database.db, values.commune);
    const uctx: UserCtx = {
      db: database.db,
      actor: cliActor(communeId),
      scope: { kind: "commune", communeId },
      communeId,
    };
    const byName = async () => {
      try {
        return await getUserByUsername({ ...uctx, username: username! });
      } catch (err) {
        if (err instanceof AppError && err.code === "not_found") {
          throw new CliError(t(lang, "cli.user_not_found", { username: username! }));
        }
        throw err;
      }
    };
    switch (sub) {
      case "add": {
        const password = await readPassword(lang, { confirm: true });
        if (!password) throw new CliError(t(lang, "cli.password_empty"));
        const user = await createUser({
          ...uctx,
          input: {
            username,
            displayName: values.name ?? username,
            role: values.role,
            password,
            villages: values.village ?? [],
            unit: values.unit,
          },
        });
        process.stdout.write(
          `${t(lang, "cli.user_added", { username: user.username, role: t(lang, `role.${user.role}`) })}\n`,
        );
        return 0;
      }
      case "list": {
        const { items } = await listUsers({ ...uctx, page: 1, pageSize: 10_000 });
        process.stdout.write(`${t(lang, "cli.user_list_header")}\n`);
        for (const u of items) {
          const scope = [...u.villages, ...(u.unit ? [u.unit] : [])].join(",") || "-";
          process.stdout.write(
            `${u.username}\t${u.role}\t${scope}\t${u.disabled ? t(lang, "users.disabled") : t(lang, "users.active")}\n`,
          );
        }
        return 0;
      }
      case "disable":
      case "enable": {
        const user = await byName();
        await setUserDisabled({ ...uctx, id: user.id, disabled: sub === "disable" });
        process.stdout.write(
          `${t(lang, sub === "disable" ? "cli.user_disabled" : "cli.user_enabled", { username: user.username })}\n`,
        );
        return 0;
      }
      case "passwd": {
        const user = await byName();
        const password = await readPassword(lang, { confirm: true });
        if (!password) throw new CliError(t(lang, "cli.password_empty"));
        await resetUserPassword({ ...uctx, id: user.id, password });
        process.stdout.write(`${t(lang, "cli.user_passwd", { username: user.username })}\n`);
        return 0;
      }
    }
    return 2;
  } finally {
    await database.close();
  }
}
