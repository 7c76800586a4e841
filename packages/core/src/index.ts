export * from './errors.ts';
export * from './spec/index.ts';
