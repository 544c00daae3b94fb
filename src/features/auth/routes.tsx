import { type Context, Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { AppError, type FieldErrors, msg } from "../../lib/errors.ts";
import { isLang } from "../../lib/i18n/index.ts";
import type { AppEnv } from "../../web/context.ts";
import { type FormValues, str } from "../../web/form.ts";
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
import { submitForm } from "../../web/routes-kit/form-route.ts";
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

/** The errors a sign-in form shows on its own page (a wrong password, too many tries, a bad code). */
const SIGN_IN_ERRORS = ["unauthenticated", "rate_limited", "validation"] as const;
const nextOf = (form: FormValues) => safeNext(str(form, "next"));

authRoutes.post("/login", (c) =>
  submitForm(c, {
    run: async (form) => {
      const { deps } = c.var;
      const started = await login({
        db: deps.db,
        username: str(form, "username"),
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
      return { mfaPending: started.mfaPending, next: nextOf(form) };
    },
    to: ({ mfaPending, next }) => (mfaPending ? `/login/totp?next=${encodeURIComponent(next)}` : next),
    catches: SIGN_IN_ERRORS,
    invalid: (form, _errors, err) => {
      const message = c.var.t(err.msg.key, err.msg.params);
      return render(c, { title: c.var.t("auth.login_title"), status: err.status }, (ctx) => (
        <LoginPage ctx={ctx} next={nextOf(form)} username={str(form, "username")} message={message} />
      ));
    },
  }),
);

authRoutes.get("/login/totp", async (c) => {
  const next = safeNext(c.req.query("next"));
  if (c.var.viewer) return c.redirect(next, 303);
  if (c.var.sessionState !== "mfa_pending") return c.redirect("/login", 303);
  return render(c, { title: c.var.t("auth.totp_title") }, (ctx) => <TotpLoginPage ctx={ctx} next={next} />);
});

authRoutes.post("/login/totp", async (c) => {
  const session = c.var.session;
  if (!session || c.var.sessionState !== "mfa_pending") return c.redirect("/login", 303);
  return submitForm(c, {
    run: async (form) => {
      await completeTotpLogin({ db: c.var.deps.db, session, code: str(form, "code"), client: client(c) });
      return nextOf(form);
    },
    to: (next) => next,
    catches: SIGN_IN_ERRORS,
    invalid: (form, errors, err) =>
      render(c, { title: c.var.t("auth.totp_title"), status: err.status }, (ctx) => (
        <TotpLoginPage
          ctx={ctx}
          next={nextOf(form)}
          errors={errors}
          message={err.code === "validation" ? undefined : c.var.t(err.msg.key, err.msg.params)}
        />
      )),
  });
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

const setupInputOf = (form: FormValues) => ({
  communeName: str(form, "communeName"),
  province: str(form, "province"),
  displayName: str(form, "displayName"),
  username: str(form, "username"),
  password: str(form, "password"),
  password_confirm: str(form, "password_confirm"),
});

authRoutes.post("/setup", (c) =>
  submitForm(c, {
    run: (form) =>
      createFirstAdmin({
        db: c.var.deps.db,
        token: str(form, "token"),
        input: setupInputOf(form),
        client: client(c),
      }),
    flash: () => msg("setup.done"),
    to: () => "/login",
    invalid: (form, errors) =>
      render(c, { title: c.var.t("setup.title"), status: 422 }, (ctx) => (
        <SetupPage ctx={ctx} token={str(form, "token")} values={setupInputOf(form)} errors={errors} />
      )),
  }),
);

// --- own account ---------------------------------------------------------------

authRoutes.get("/account", requirePermission(null), async (c) =>
  render(c, { title: c.var.t("account.title") }, (ctx) => (
    <AccountPage ctx={ctx} viewer={requireViewer(c)} />
  )),
);

authRoutes.post("/account/password", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  return submitForm(c, {
    run: async (form) => {
      await changeOwnPassword({
        db: c.var.deps.db,
        viewer,
        current: str(form, "current"),
        password: str(form, "password"),
        confirm: str(form, "password_confirm"),
        client: client(c),
      });
      // Every session of the account ended with the change, this one too.
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
    },
    flash: () => msg("auth.password_changed_relogin"),
    to: () => "/login",
    invalid: (_form, errors) =>
      render(c, { title: c.var.t("account.title"), status: 422 }, (ctx) => (
        <AccountPage ctx={ctx} viewer={viewer} errors={errors} />
      )),
  });
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

authRoutes.post("/account/totp/confirm", requirePermission(null), (c) =>
  submitForm(c, {
    run: (form) => confirmTotpEnrolment({ ...readerOf(c), code: str(form, "code"), client: client(c) }),
    flash: () => msg("account.totp_enabled_done"),
    to: () => "/account",
    invalid: (_form, errors) => totpEnrolPage(c, errors),
  }),
);

authRoutes.post("/account/totp/disable", requirePermission(null), async (c) => {
  const viewer = requireViewer(c);
  return submitForm(c, {
    run: (form) =>
      disableTotp({
        db: c.var.deps.db,
        viewer,
        password: str(form, "current"),
        code: str(form, "code"),
        client: client(c),
      }),
    flash: () => msg("account.totp_disabled_done"),
    to: () => "/account",
    invalid: (_form, errors) =>
      render(c, { title: c.var.t("account.title"), status: 422 }, (ctx) => (
        <AccountPage ctx={ctx} viewer={{ ...viewer, totpEnabled: true }} totpErrors={errors} />
      )),
  });
});
