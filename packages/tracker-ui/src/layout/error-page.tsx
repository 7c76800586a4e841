/** The page shown for 4xx/5xx on HTML routes (API routes answer JSON instead). */
import { Page } from './page.tsx';

/** A short error page; `message` is user-influenced and escaped like any other text. */
export function ErrorPage(props: { status: number; message: string }) {
  return (
    <Page title={`Error ${props.status}`}>
      <h1>Error {props.status}</h1>
      <p class="error">{props.message}</p>
      <p>
        <a href="/">Back to experiments</a>
      </p>
    </Page>
  );
}
