import { Type, type TSchema, type TLiteral, type TObject, type TProperties } from '@sinclair/typebox';

/**
 * Field helpers in the manner of Ludwig's schema utils: every field carries its description,
 * and, where it has one, its default and bounds, so the JSON Schema, the TS type, the docs and
 * the defaults all come from one place.
 */
interface NumberOpts {
  default?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
}

/** A floating-point field. */
export const num = (description: string, opts: NumberOpts = {}) => Type.Number({ description, ...opts });

/** An integer field. */
export const int = (description: string, opts: NumberOpts = {}) => Type.Integer({ description, ...opts });

/** A boolean field. */
export const bool = (description: string, dflt?: boolean) =>
  Type.Boolean(dflt === undefined ? { description } : { description, default: dflt });

/** A free string field. */
export const str = (description: string, opts: { default?: string; minLength?: number; pattern?: string } = {}) =>
  Type.String({ description, ...opts });

/** A closed set of string values, written as an enum so errors can list the choices. */
export function oneOf<const T extends readonly string[]>(values: T, description: string, dflt?: T[number]) {
  return Type.Unsafe<T[number]>({
    type: 'string',
    enum: [...values],
    description,
    ...(dflt === undefined ? {} : { default: dflt }),
  });
}

/** The discriminator of a tagged variant: `type: dense`. */
export const tag = <T extends string>(value: T, description: string): TLiteral<T> =>
  Type.Literal(value, { description });

/** A closed object: unknown keys are errors everywhere in the spec. */
export function obj<T extends TProperties>(properties: T, description: string, extra: object = {}): TObject<T> {
  return Type.Object(properties, { description, additionalProperties: false, ...extra });
}

/** An optional field. */
export const opt = <T extends TSchema>(schema: T) => Type.Optional(schema);

/** A union of tagged objects; `discriminator` names the tag key so errors can pick the right branch. */
export function tagged<T extends TSchema[]>(discriminator: string, variants: [...T], description: string) {
  return Type.Union(variants, { description, 'x-discriminator': discriminator });
}
