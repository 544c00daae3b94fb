import { pino } from "pino";

/** Structured JSON logs on standard output; each request's lines carry its `requestId`. */
export function createLogger(level: string) {
  return pino({
    level,
    base: { app: "bdhvs" },
    timestamp: pino.stdTimeFunctions.isoTime,
    redact: {
      paths: ["req.headers.cookie", "req.headers.authorization", "password", "*.password"],
      remove: true,
    },
  });
}
