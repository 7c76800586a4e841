/** Store URLs are printed and recorded only with their password removed. */

/** `postgres://user:secret@host/db` -> `postgres://user:***@host/db`; also hides password/token query params. */
export function redactUrl(url: string): string {
  let out = url.replace(/^([a-z][a-z0-9+.-]*:\/\/)([^/?#@]*)@/i, (_m, scheme: string, auth: string) => {
    const colon = auth.indexOf(':');
    return colon < 0 ? `${scheme}${auth}@` : `${scheme}${auth.slice(0, colon)}:***@`;
  });
  out = out.replace(/([?&](?:password|pass|pwd|authToken|auth_token|token|sslpassword)=)[^&#]*/gi, '$1***');
  return out;
}
