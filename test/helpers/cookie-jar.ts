/** Keeps the cookies a response sets in a jar, as a browser does: an emptied or max-age=0 cookie leaves it. */
export function keepCookies(cookies: Map<string, string>, res: Response): void {
  for (const c of res.headers.getSetCookie()) {
    const [pair, ...attrs] = c.split(";");
    const i = pair!.indexOf("=");
    const name = pair!.slice(0, i).trim();
    const value = pair!.slice(i + 1).trim();
    if (value === "" || attrs.some((a) => /max-age=0/i.test(a.trim()))) cookies.delete(name);
    else cookies.set(name, value);
  }
}
