export * from './errors.ts';
export * from './catalog/index.ts';
export * from './spec/index.ts';
export * from './store/index.ts';
