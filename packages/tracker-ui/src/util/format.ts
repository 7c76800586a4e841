/** Display formatting: the same helpers the CLI uses, from core, so both show values alike. */
export { fmtDuration, fmtNum, fmtTime, fmtValue } from '@kiln/core/format';
