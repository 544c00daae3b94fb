import { t } from "../../lib/i18n/index.ts";
import { createLogger } from "../../lib/logger.ts";
import { startServer } from "../../server.ts";
import { booleanOption, defineCommand, stringOption } from "../command.ts";
import { CliError } from "../io.ts";
import { type CliContext, configFor } from "../main.ts";

/** Seconds requests in flight get to finish after SIGTERM before the process exits anyway. */
const SHUTDOWN_GRACE_SECONDS = 10;

/** `bdhvs serve [--port N] [--demo]`: the web app, until SIGTERM or SIGINT. */
export const runServe = defineCommand({
  help: (lang, options) =>
    [t(lang, "cli.serve_usage"), `  ${t(lang, "cli.cmd.serve")}`, "", ...options].join("\n"),
  options: { port: stringOption("--port N", "cli.opt.port"), demo: booleanOption("--demo", "cli.cmd.demo") },
  helpLayout: { width: 17 },
  positionals: false,
  run: ({ ctx, values }) => serve(ctx, values),
});

async function serve(ctx: CliContext, values: { port?: string | undefined; demo?: boolean | undefined }) {
  const { lang } = ctx;
  const base = configFor(ctx);
  let port = base.port;
  if (values.port !== undefined) {
    port = Number(values.port);
    if (!Number.isInteger(port) || port < 0 || port > 65535) {
      throw new CliError(t(lang, "cli.unknown_option", { detail: `--port ${values.port}` }));
    }
  }
  const config = { ...base, port };
  const logger = createLogger(config.logLevel);
  let server: Awaited<ReturnType<typeof startServer>>;
  try {
    server = await startServer({
      config,
      logger,
      demo: values.demo
        ? (kind) => process.stderr.write(`${t(lang, "cli.demo_step", { kind: t(lang, `kind.${kind}`) })}\n`)
        : undefined,
      onSetupLink: (url) => {
        process.stderr.write(`\n${t(lang, "setup.console")}\n\n    ${url}\n\n`);
      },
    });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "EADDRINUSE")
      throw new CliError(t(lang, "cli.port_in_use", { port }));
    throw err;
  }
  process.stderr.write(
    `${t(lang, "cli.listening", { url: server.url, location: server.database.location })}\n`,
  );
  logger.info({ url: server.url, database: server.database.kind }, "listening");

  return new Promise<number>((resolve) => {
    const stop = (signal: string) => {
      logger.info({ signal }, "shutting down");
      process.stderr.write(`${t(lang, "cli.shutting_down")}\n`);
      const force = setTimeout(() => {
        logger.warn("requests still running after the grace period; exiting");
        resolve(1);
      }, SHUTDOWN_GRACE_SECONDS * 1000);
      force.unref();
      server.close().then(
        () => {
          clearTimeout(force);
          resolve(0);
        },
        (err) => {
          logger.error({ err }, "error while shutting down");
          resolve(1);
        },
      );
    };
    process.once("SIGTERM", () => stop("SIGTERM"));
    process.once("SIGINT", () => stop("SIGINT"));
  });
}
