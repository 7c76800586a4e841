/**
 * Timestamps with their zone: shown in UTC and marked so (pages read the same wherever they are served), with the
 * ISO instant in `datetime`; the client adds the reader's local time as the element's title.
 */
import { fmtTime } from './format.ts';

/** Epoch ms as `YYYY-MM-DD HH:MM:SS UTC`; '' for null. */
export function fmtUtc(ms: number | null | undefined): string {
  const t = fmtTime(ms);
  return t === '' ? '' : `${t} UTC`;
}

/** A <time> element in UTC whose title the client sets to the local time. */
export function Timestamp(props: { ms: number | null | undefined }) {
  if (props.ms === null || props.ms === undefined) return <></>;
  const iso = new Date(props.ms).toISOString();
  return (
    <time datetime={iso} title={`${iso} (UTC)`}>
      {fmtUtc(props.ms)}
    </time>
  );
}
