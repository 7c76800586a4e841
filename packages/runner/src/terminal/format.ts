/**
 * Numbers, durations and timestamps as the terminal shows them: core's formatters (the UI uses the
 * same ones), under the names the CLI and the sweep's live view use.
 */
export { fmtDuration, fmtTime, fmtValue as fmtNum } from '@kiln/core/format';
