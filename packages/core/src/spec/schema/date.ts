import { Type } from '@sinclair/typebox';
import { obj, oneOf, opt, str, tag } from '../fields.ts';

/** How a date feature becomes numbers: time since the train minimum, or a calendar part as a point on a circle. */
export const DATE_ENCODINGS = ['elapsed', 'month', 'dayOfWeek', 'dayOfYear', 'hour'] as const;
export type DateEncoding = (typeof DATE_ENCODINGS)[number];

/** The encodings a date feature gets when it names none: the trend, the season and the weekly rhythm. */
export const DEFAULT_DATE_ENCODINGS: DateEncoding[] = ['elapsed', 'month', 'dayOfWeek'];

/** The tokens of a date `format`, for the description, the docs and error hints. */
export const DATE_FORMAT_TOKENS =
  'YYYY (4-digit year), YY (2-digit year, 1970-2069), MM / M (month 01-12 / 1-12), MMM (Jan), MMMM (January), DD / D (day of month), ' +
  'HH / H (hour 00-23), hh / h (hour 1-12, with A), A (AM or PM), mm (minute), ss (second), SSS (milliseconds), Z (zone: Z, +02:00 or +0200); ' +
  'month names are English and case-insensitive; any other character must appear as written, and text in [brackets] is literal';

export const DateFeature = obj(
  {
    name: str('Column name in the data.', { minLength: 1 }),
    type: tag(
      'date',
      'A date or date-time per row. Without `format`, ISO 8601: 2024-03-01, 2024-03-01T14:30, 2024-03-01 14:30:05.250, with an optional zone (Z, +02:00, +0200). ' +
        'Calendar parts (month, day of week, hour ...) are read as written, in the value\'s own zone; elapsed time uses the instant (the zone\'s offset applied; a value without a zone counts as UTC), so results never depend on the machine\'s time zone.',
    ),
    format: opt(str(`How the values are written, when not ISO 8601, e.g. "DD/MM/YYYY" or "MMM D YYYY HH:mm". Tokens: ${DATE_FORMAT_TOKENS}. A value that does not match is an error naming the row and the format.`, { minLength: 1 })),
    encodings: Type.Array(
      oneOf(DATE_ENCODINGS, 'One encoding of the date.'),
      {
        description:
          'Which numbers the date becomes, in this order. elapsed (one column): time since the earliest train value divided by the train range, so train values fall in [0, 1] and later ones above 1. month, dayOfWeek (Monday first), dayOfYear, hour (minutes and seconds as its fraction): two columns each, the sin and cos of the position in the cycle, so December sits next to January and Sunday next to Monday.',
        minItems: 1,
        uniqueItems: true,
        default: [...DEFAULT_DATE_ENCODINGS],
      },
    ),
    missing: oneOf(['mean', 'drop', 'error'] as const, 'What to do with a missing value: fill elapsed with the train mean and the calendar parts with the circle\'s centre (0, 0), drop the row, or fail.', 'error'),
    missingValues: opt(Type.Array(Type.String(), { description: 'Cells that count as missing in this column, replacing the source\'s missingValues or the default markers; matched after trimming spaces, ignoring case; an empty cell and JSON null are always missing.' })),
  },
  'A date feature: parsed, then encoded as elapsed time and cyclic calendar parts.',
);
