import { can, type Permission, type Role, type Scope, scopeOf, UNMASKED_ROLES } from "./policy.ts";
import type { AuthUser } from "./repo.ts";

/** The signed-in user as every layer sees them. */
export type Viewer = {
  userId: number;
  username: string;
  displayName: string;
  role: Role;
  communeId: number;
  communeName: string;
  villageIds: readonly number[];
  unitId: number | null;
  totpEnabled: boolean;
  scope: Scope;
};

export function viewerOf(user: AuthUser): Viewer {
  return {
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role,
    communeId: user.communeId,
    communeName: user.communeName,
    villageIds: user.villageIds,
    unitId: user.unitId,
    totpEnabled: user.totpEnabled,
    scope: scopeOf(user),
  };
}

export function viewerCan(viewer: Viewer | undefined, permission: Permission): boolean {
  return !!viewer && can(viewer.role, permission);
}

export function seesUnmasked(viewer: Viewer): boolean {
  return UNMASKED_ROLES.includes(viewer.role);
}
