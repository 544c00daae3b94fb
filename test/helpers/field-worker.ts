import { type Agent, signedInAgent, type TestApp, testToken } from "./app.ts";
import { buildTeamMember, buildUser, type TeamMember, type Village } from "./factories.ts";

type User = Awaited<ReturnType<typeof buildUser>>["user"];

/** What a field worker is. */
export type FieldWorkerOptions = {
  village: Village;
  /** The member's name, and the account's display name (the two are matched by it). */
  fullName: string;
  /** The account's role (default volunteer). */
  role?: "volunteer" | "village_lead";
  /** The member's role in the team (default member). */
  teamRole?: TeamMember["role"];
  /** Also sign the account in through the login form as an `Agent` (default false: a token only). */
  agent?: boolean;
};

/**
 * A member of a village's team with an account of the same name scoped to that village, signed in
 * through the API (the field app's way in) and, when asked, through the login form.
 */
export async function buildFieldWorker(
  t: Pick<TestApp, "app" | "db" | "commune">,
  opts: FieldWorkerOptions,
): Promise<{ member: TeamMember; user: User; token: string; agent: Agent | undefined }> {
  const member = await buildTeamMember(t.db, {
    village: opts.village,
    fullName: opts.fullName,
    ...(opts.teamRole ? { role: opts.teamRole } : {}),
  });
  const { user } = await buildUser(t.db, {
    role: opts.role ?? "volunteer",
    commune: t.commune,
    villages: [opts.village],
    displayName: opts.fullName,
  });
  const token = await testToken(t.app, user.username);
  const agent = opts.agent ? await signedInAgent(t.app, user.username) : undefined;
  return { member, user, token, agent };
}
