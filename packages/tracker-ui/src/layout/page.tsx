/** The page shell: head with the stylesheet and the one client module, a nav bar, and the content. */
import type { Child } from 'hono/jsx';
import { raw } from 'hono/html';

export interface PageProps {
  title: string;
  /** Which nav entry is current. */
  section?: 'experiments' | 'runs' | 'sweeps' | 'compare' | 'models';
  children?: Child;
}

const NAV: [PageProps['section'], string, string][] = [
  ['experiments', '/', 'Experiments'],
  ['runs', '/runs', 'Runs'],
  ['sweeps', '/sweeps', 'Sweeps'],
  ['models', '/models', 'Models'],
];

/** Wraps page content in the document shell. */
export function Page(props: PageProps) {
  return (
    <>
      {raw('<!doctype html>')}
      <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>{props.title} · Kiln</title>
          <link rel="stylesheet" href="/static/vendor/uPlot.min.css" />
          <link rel="stylesheet" href="/static/app.css" />
          <script type="module" src="/static/app.js"></script>
        </head>
        <body>
          <nav class="top">
            <a class="brand" href="/">
              Kiln
            </a>
            {NAV.map(([key, href, label]) => (
              <a href={href} class={key === props.section ? 'current' : undefined}>
                {label}
              </a>
            ))}
          </nav>
          <main>{props.children}</main>
        </body>
      </html>
    </>
  );
}
