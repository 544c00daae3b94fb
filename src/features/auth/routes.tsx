import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { isLang } from "../../lib/i18n/index.ts";
import type { AppEnv } from "../../web/context.ts";
import { readForm, str } from "../../web/form.ts";
import {
  CSRF_COOKIE,
  isSecure,
  LANG_COOKIE,
  requirePermission,
  requireViewer,
  SESSION_COOKIE,
  safeNext,
} from "../../web/middleware.ts";
import { render, setFlash } from "../../web/render.tsx";
import { readerOf } from "../../web/routes-kit/request.ts";
import { findAuthUserById } from "./repo.ts";
import {
  beginTotpEnrolment,
  changeOwnPassword,
  checkSetupToken,
  completeTotpLogin,
  confirmTotpEnrolment,
  createFirstAdmin,
  disableTotp,
  login,
  logout,
} from "./service.ts";
import { totpQrSvg, totpUri } from "./totp.ts";
import { AccountPage, TotpEnrolPage } from "./views/account.tsx";
import { LoginPage, SetupPage, TotpLoginPage } from "./views/login.tsx";

export const authRoutes = new Hono<AppEnv>();

const client = (c: { var: AppEnv["Variables"] }) => ({ ip: c.var.clientIp, requestId: c.var.requestId });

authRoutes.get("/login", async (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.viewer) return c.redirect(next, 303);
  const info = c.req.query("expired") ? c.var.t("auth.session_expired") : undefined;
  return render(c, { title: c.var.t("auth.login_title") }, (ctx) => (
    <LoginPage ctx={ctx} next={next} info={info} />
  ));
});

authRoutes.post("/login", async (c) => {
  const form = await readForm(c);
  const next = safeNext(str(form, "next"));
  const username = str(form, "username");
  const { deps } = c.var;
  try {
    const started = await login({
      db: deps.db,
      username,
      password: str(form, "password"),
      client: client(c),
      settings: deps.auth,
    });
    setCookie(c, SESSION_COOKIE, started.token, {
      path: "/",
      httpOnly: true,
      sameSite: "Lax",
      secure: isSecure(c),
      maxAge: deps.auth.sessionAbsoluteHours * 3600,
    });
    deleteCookie(c, CSRF_COOKIE, { path: "/" });
    if (started.mfaPending) return c.redirect(`/login/totp?next=${encodeURIComponent(next)}`, 303);
    return c.redirect(next, 303);
  } catch (err) {
    if (!(err instanceof AppError) || !["unauthenticated", "rate_limited", "validation"].includes(err.code))
      throw err;
    if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
    const message = c.var.t(err.msg.key, err.msg.params);
    return render(c, { title: c.var.t("auth.login_title"), status: err.status }, (ctx) => (
      <LoginPage ctx={ctx} next={next} username={username} message={message} />
    ));
  }
});

authRoutes.get("/login/totp", async (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.viewer) return c.redirect(next, 303);
  if (c.var.sessionState !== "mfa_pending") return c.redirect("/login", 303);
  return render(c, { title: c.var.t("auth.totp_title") }, (ctx) => <TotpLoginPage ctx={ctx} next={next} />);
});

authRoutes.post("/login/totp", async (c) => {
  const form = await readForm(c);
  const next = safeNext(str(form, "next"));
  const session = c.var.session;
  if (!session || c.var.sessionState !== "mfa_pending") return c.redirect("/login", 303);
  try {
    await completeTotpLogin({ db: c.var.deps.db, session, code: str(form, "code"), client: client(c) });
    return c.redirect(next, 303);
  } catch (err) {
    if (!(err instanceof AppError) || !["validation", "rate_limited", "unauthenticated"].includes(err.code))
      throw err;
    if (err.retryAfter) c.header("Retry-After", String(err.retryAfter));
    return render(c, { title: c.var.t("auth.totp_title"), status: err.status }, (ctx) => (
      <TotpLoginPage
        ctx={ctx}
        next={next}
        errors={err.fields}
        message={err.code === "validation" ? undefined : c.var.t(err.msg.key, err.msg.params)}
      />
    ));
  }
});

authRoutes.post("/logout", async (c) => {
  const token = getCookie(c, SESSION_COOKIE);
  if (token) await logout({ db: c.var.deps.db, token, viewer: c.var.viewer, client: client(c) });
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  setFlash(c, msg("auth.logged_out"));
  return c.redirect("/login", 303);
});

/** The language switch: a plain link, so it works without JavaScript. */
authRoutes.get("/lang", (c) => {
  const to = c.req.query("to");
  if (isLang(to)) {
    setCookie(c, LANG_COOKIE, to, { path: "/", sameSite: "Lax", maxAge: 365 * 86400, secure: isSecure(c) });
  }
  return c.redirect(safeNext(c.req.query("next")), 303);
});

// --- first run ----------------------------------------------------------------

authRoutes.get("/setup", async (c) => {
  const token = c.req.query("token") ?? "";
  const { db, config } = c.var.deps;
  const communeId = await checkSetupToken({ db, token });
  if (communeId === null) throw new AppError("forbidden", { message: msg("setup.invalid_link") });
  return render(c, { title: c.var.t("setup.title") }, (ctx) => (
    <SetupPage
      ctx={ctx}
      token={token}
      values={{
        communeName: ctx.communeName || config.commune.name,
        province: ctx.province || config.commune.province,
      }}
    />
  ));
});

authRoutes.post("/setup", async (c) => {
  const form = await readForm(c);
  const token = str(form, "token");
  const input = {
    communeName: str(form, "communeName"),
    province: str(form, "province"),
    displayName: str(form, "displayName"),
    username: str(form, "username"),
    password: str(form, "password"),
    password_confirm: str(form, "password_confirm"),
  };
  try {
    await createFirstAdmin({ db: c.var.deps.db, token, input, client: client(c) });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return render(c, { title: c.var.t("setup.title"), status: 422 }, (ctx) => (
      <SetupPage ctx={ctx} token={token} values={input} errors={err.fields} />
    ));
  }
  setFlash(c, msg("setup.done"));
  return c.redirect("/login", 303);
});

// --- own account ---------------------------------------------------------------

authRoutes.get("/account", requirePermission(null), async (c) =>
  render(c, { title: c.var.t("account.title") }, (ctx) => (
    <AccountPage ctx={ctx} viewer={requireViewer(c)} />
  )),
);

authRoutes.post("/account/password", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  const form = await readForm(c);
  try {
    await changeOwnPassword({
      db: c.var.deps.db,
      viewer,
      current: str(form, "current"),
      password: str(form, "password"),
      confirm: str(form, "password_confirm"),
      client: client(c),
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return render(c, { title: c.var.t("account.title"), status: 422 }, (ctx) => (
      <AccountPage ctx={ctx} viewer={viewer} errors={err.fields} />
    ));
  }
  // Every session of the account ended with the change, this one too.
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
  setFlash(c, msg("auth.password_changed_relogin"));
  return c.redirect("/login", 303);
});

authRoutes.post("/account/totp/start", requirePermission(null), async (c) => {
  await beginTotpEnrolment({ ...readerOf(c) });
  return c.redirect("/account/totp", 303);
});

async function totpEnrolPage(c: Context<AppEnv>, errors?: FieldErrors) {
  const viewer = requireViewer(c);
  const user = await findAuthUserById(c.var.deps.db, viewer.userId);
  if (!user?.totpSecret || user.totpEnabled) return c.redirect("/account", 303);
  const uri = totpUri(user.username, user.totpSecret, user.communeName);
  const qr = await totpQrSvg(uri);
  return render(c, { title: c.var.t("account.totp_title"), status: errors ? 422 : 200 }, (ctx) => (
    <TotpEnrolPage ctx={ctx} secret={user.totpSecret!} qrSvg={qr} errors={errors} />
  ));
}

authRoutes.get("/account/totp", requirePermission(null), (c) => totpEnrolPage(c));

authRoutes.post("/account/totp/confirm", requirePermission(null), async (c) => {
  const form = await readForm(c);
  try {
    await confirmTotpEnrolment({ ...readerOf(c), code: str(form, "code"), client: client(c) });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return totpEnrolPage(c, err.fields);
  }
  setFlash(c, msg("account.totp_enabled_done"));
  return c.redirect("/account", 303);
});

authRoutes.post("/account/totp/disable", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  const form = await readForm(c);
  try {
    await disableTotp({
      db: c.var.deps.db,
      viewer,
      password: str(form, "current"),
      code: str(form, "code"),
      client: client(c),
    });
  } catch (err) {
    if (!(err instanceof AppError) || err.code !== "validation") throw err;
    return render(c, { title: c.var.t("account.title"), status: 422 }, (ctx) => (
      <AccountPage ctx={ctx} viewer={{ ...viewer, totpEnabled: true }} totpErrors={err.fields} />
    ));
  }
  setFlash(c, msg("account.totp_disabled_done"));
  return c.redirect("/account", 303);
});
