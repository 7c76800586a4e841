export * from './data.ts';
export * from './date.ts';
export * from './layers.ts';
export * from './pipeline.ts';
export * from './runtime.ts';
export * from './sweep.ts';
export * from './train.ts';
