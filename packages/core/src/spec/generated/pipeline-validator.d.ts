import type { ValidateFunction } from 'ajv';

/** The pipeline schema's validator, precompiled by `pnpm gen` (ajv standalone). */
export declare const validate: ValidateFunction;
export default validate;
