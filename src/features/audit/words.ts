import { isMsgKey, type T } from "../../lib/i18n/index.ts";

/**
 * A recorded action in words for the audit page: `login.success` → "Đăng nhập thành công",
 * `resident.update` → "Sửa người dân", `export.residents` → "Xuất dữ liệu: người dân". An action
 * the catalog does not know yet is shown as recorded.
 */
export function auditActionText(t: T, action: string): string {
  const own = `audit.act.${action}`;
  if (isMsgKey(own)) return t(own);
  const dot = action.lastIndexOf(".");
  if (dot < 0) return action;
  let [subject, verb] = [action.slice(0, dot), action.slice(dot + 1)];
  // import.residents, export.households: the verb comes first.
  if (subject === "import" || subject === "export") [subject, verb] = [verb, subject];
  const verbKey = `audit.verb.${verb}`;
  const plural = `audit.ent.${subject}s`;
  const entKey = verb === "view_identity_list" && isMsgKey(plural) ? plural : `audit.ent.${subject}`;
  if (!isMsgKey(verbKey) || !isMsgKey(entKey)) return action;
  return t(verbKey, { what: t(entKey) });
}
