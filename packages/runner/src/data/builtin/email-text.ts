/**
 * The reference's email_to_text (bench/reference/prepare_data.py), ported so the strings match exactly:
 * Python's `\s` / str.strip() whitespace set, `^` only after "\n", and slicing by code points, not UTF-16 units.
 */
const PY_WS = '[\\t\\n\\x0b\\x0c\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000]';
const SUBJECT = /(?:^|(?<=\n))Subject:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)/iu;
const FOLD = new RegExp(`${PY_WS}*\\n${PY_WS}*`, 'g');
const STRIP = new RegExp(`^${PY_WS}+|${PY_WS}+$`, 'g');

/** The first `max` code points of s (Python's s[:max]). */
export function codePointPrefix(s: string, max: number): string {
  if (s.length <= max) return s;
  let count = 0;
  let i = 0;
  while (i < s.length && count < max) {
    const c = s.charCodeAt(i);
    i += c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00 ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}

/** Unfolded Subject header value + "\n" + body (after the first blank line, CRLF -> LF), body cut at bodyChars code points. */
export function emailToText(raw: string, bodyChars: number): string {
  const t = raw.replaceAll('\r\n', '\n');
  const cut = t.indexOf('\n\n');
  const head = cut < 0 ? t : t.slice(0, cut);
  let body = cut < 0 ? '' : t.slice(cut + 2);
  const m = SUBJECT.exec(head);
  const subject = m?.[1]?.replace(FOLD, ' ').replace(STRIP, '') ?? '';
  if (bodyChars > 0) body = codePointPrefix(body, bodyChars);
  return subject + '\n' + body;
}
