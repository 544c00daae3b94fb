import type { Role } from "../../src/features/auth/policy.ts";
import { type Agent, bearer, signedInAgent, type TestApp, testToken } from "./app.ts";
import { buildUser, type Unit, type Village } from "./factories.ts";

type User = Awaited<ReturnType<typeof buildUser>>["user"];

/** One account per role, with its username, an API token and (when asked) a signed-in web agent. */
export type RoleAccounts<R extends Role> = {
  users: Record<R, User>;
  usernames: Record<R, string>;
  tokens: Record<R, string>;
  agents: Record<R, Agent>;
  /** GET through the API with the role's bearer token. */
  get(role: string, path: string): Promise<Response>;
  /** Sends `body` as JSON (none if undefined) through the API with the role's bearer token (POST unless `method`). */
  send(role: string, body: unknown, path: string, method?: string): Promise<Response>;
  /** Sends a raw body (labelled JSON) through the API with the role's bearer token (GET unless `method`). */
  request(
    role: string,
    path: string,
    init?: { method?: string; body?: string | Uint8Array },
  ): Promise<Response>;
};

/** How `buildRoleAccounts` scopes and signs in each account. */
export type RoleAccountOptions = {
  /** Villages given to the village-scoped roles (`villageRoles`); without it buildUser makes one of its own. */
  villages?: Village[];
  /** Which roles get `villages` (default: village_lead and volunteer). */
  villageRoles?: readonly Role[];
  /** The unit of a `school` account (default: buildUser makes one). */
  unit?: Unit;
  /** Display name per role (default: buildUser's). */
  displayName?: (role: Role) => string;
  /** Also sign each account in through the login form as an `Agent` (default false: tokens only). */
  agents?: boolean;
};

/** Builds one account per role in the test app's commune and signs each in (API token, and a web agent if asked). */
export async function buildRoleAccounts<R extends Role>(
  t: Pick<TestApp, "app" | "db" | "commune">,
  roles: readonly R[],
  opts: RoleAccountOptions = {},
): Promise<RoleAccounts<R>> {
  const villageRoles: readonly Role[] = opts.villageRoles ?? ["village_lead", "volunteer"];
  const tokens = {} as Record<R, string>;
  const tokenOf = (role: string) => {
    const token = tokens[role as R];
    if (!token) throw new Error(`no account for role ${role}`);
    return token;
  };
  const out: RoleAccounts<R> = {
    users: {} as Record<R, User>,
    usernames: {} as Record<R, string>,
    tokens,
    agents: {} as Record<R, Agent>,
    get: async (role, path) => t.app.request(path, { headers: bearer(tokenOf(role)) }),
    send: async (role, body, path, method = "POST") =>
      out.request(role, path, { method, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) }),
    request: async (role, path, init = {}) =>
      t.app.request(path, {
        method: init.method ?? "GET",
        headers: bearer(tokenOf(role), { "content-type": "application/json" }),
        ...(init.body !== undefined ? { body: init.body } : {}),
      }),
  };
  for (const role of roles) {
    const { user } = await buildUser(t.db, {
      role,
      commune: t.commune,
      ...(opts.villages && villageRoles.includes(role) ? { villages: opts.villages } : {}),
      ...(role === "school" && opts.unit ? { unit: opts.unit } : {}),
      ...(opts.displayName ? { displayName: opts.displayName(role) } : {}),
    });
    out.users[role] = user;
    out.usernames[role] = user.username;
    out.tokens[role] = await testToken(t.app, user.username);
    if (opts.agents) out.agents[role] = await signedInAgent(t.app, user.username);
  }
  return out;
}
