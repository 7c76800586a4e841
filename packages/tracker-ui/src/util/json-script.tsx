/** Data for the client script travels in <script type="application/json"> blocks, never in inline code. */
import { raw } from 'hono/html';

/** JSON safe inside a <script> element: `<`, `>`, `&` and line separators become \u escapes. */
export function scriptSafeJson(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** A non-executable JSON data block the client reads with JSON.parse(el.textContent). */
export function JsonData(props: { id: string; data: unknown }) {
  return (
    <script type="application/json" id={props.id}>
      {raw(scriptSafeJson(props.data))}
    </script>
  );
}
