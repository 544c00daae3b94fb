import fs from "node:fs";
import type { z } from "zod";

/**
 * Data files an officer edits by hand (the plan, the public pages' content) are JSON checked with a
 * zod schema when the server starts. A file that cannot be used stops the start with a message that
 * names the file and the line of each problem.
 */
export class DataFileError extends Error {}

/** The 1-based line of an offset in a text. */
export function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

/**
 * The offset where the value at `path` stands in a valid JSON text: a member's key, an array's
 * element. When the path goes further than the text (a missing field), the deepest object or array
 * found, so a message can point at the object that lacks the field.
 */
export function offsetOfPath(text: string, path: readonly PropertyKey[]): number | undefined {
  let i = 0;
  const ws = () => {
    while (i < text.length && /\s/.test(text[i]!)) i++;
  };
  const skipString = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    i++;
  };
  const readKey = (): string => {
    const start = i;
    skipString();
    return JSON.parse(text.slice(start, i)) as string;
  };
  const skipValue = () => {
    ws();
    const ch = text[i];
    if (ch === '"') return skipString();
    if (ch === "{" || ch === "[") {
      let depth = 0;
      while (i < text.length) {
        const c = text[i];
        if (c === '"') {
          skipString();
          continue;
        }
        if (c === "{" || c === "[") depth++;
        else if (c === "}" || c === "]") {
          depth--;
          if (depth === 0) {
            i++;
            return;
          }
        }
        i++;
      }
      return;
    }
    while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  };
  /** Skips an object's or an array's member: its value, then the comma after it, if any. */
  const skipMember = () => {
    skipValue();
    ws();
    if (text[i] === ",") i++;
    ws();
  };

  ws();
  let found = i;
  for (const key of path) {
    ws();
    const container = i;
    const ch = text[i];
    let hit = false;
    if (ch === "{" && typeof key === "string") {
      i++;
      ws();
      while (text[i] !== "}" && i < text.length) {
        const at = i;
        const name = readKey();
        ws();
        i++; // colon
        if (name === key) {
          found = at;
          ws();
          hit = true;
          break;
        }
        skipMember();
      }
    } else if (ch === "[" && typeof key === "number") {
      i++;
      ws();
      let n = 0;
      while (text[i] !== "]" && i < text.length) {
        if (n === key) {
          found = i;
          hit = true;
          break;
        }
        skipMember();
        n++;
      }
    }
    if (!hit) return container;
  }
  return found;
}

/** The line of the value at `path` (see offsetOfPath). */
export function lineOfPath(text: string, path: readonly PropertyKey[]): number | undefined {
  const at = offsetOfPath(text, path);
  return at === undefined ? undefined : lineOf(text, at);
}

/** `indicators[0].code` */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === "number" ? `[${p}]` : `.${String(p)}`))
    .join("")
    .replace(/^\./, "");
}

/** One problem found in a data file, with its line when known. */
export type DataIssue = { path: readonly PropertyKey[]; message: string };

/** The lines of a message listing problems of a file: `  dòng 12, lessons[0].title: …`. */
export function issueLines(text: string, issues: readonly DataIssue[]): string[] {
  return issues.map((issue) => {
    const line = issue.path.length ? lineOfPath(text, issue.path) : undefined;
    return `  ${line ? `dòng ${line}, ` : ""}${formatPath(issue.path) || "(gốc)"}: ${issue.message}`;
  });
}

/**
 * Parses a JSON text and checks it with a schema. `label` names the kind of file in messages
 * ("Tệp kế hoạch"); `make` builds the error (a subclass of DataFileError).
 */
export function parseJsonText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  opts: { label: string; make?: (message: string) => DataFileError },
): z.infer<S> {
  const make = opts.make ?? ((m: string) => new DataFileError(m));
  const clean = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  let json: unknown;
  try {
    json = JSON.parse(clean);
  } catch (err) {
    const message = (err as Error).message;
    const m = /position (\d+)/.exec(message);
    const line = m
      ? lineOf(clean, Number(m[1]))
      : /end of JSON/.test(message)
        ? lineOf(clean, clean.length)
        : 0;
    const where = line ? `, dòng ${line}` : "";
    throw make(`${opts.label} ${file}${where}: không phải JSON hợp lệ (${message}).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    throw make(`${opts.label} ${file} không hợp lệ:\n${issueLines(clean, parsed.error.issues).join("\n")}`);
  }
  return parsed.data;
}

/** Reads a file, then parseJsonText. */
export function readJsonFile<S extends z.ZodType>(
  file: string,
  schema: S,
  opts: { label: string; make?: (message: string) => DataFileError },
): { data: z.infer<S>; text: string } {
  const make = opts.make ?? ((m: string) => new DataFileError(m));
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (err) {
    throw make(`Không đọc được ${opts.label.toLowerCase()} ${file}: ${(err as Error).message}`);
  }
  return { data: parseJsonText(text, file, schema, opts), text };
}
