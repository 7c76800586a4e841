export * from './schema/index.ts';
export { loadPipelineFile, loadPipelineText, locateInPipeline, hashConfig, type ResolvedPipeline, type LoadResult, type LoadOptions } from './load.ts';
export { formatPath, parsePath, type PathSegments } from './path.ts';
export { didYouMean, choiceHint } from './suggest.ts';
export { layerOutput, stackInput, SHAPE_RULES, type Shape } from './shapes.ts';
export { CHECKS } from './checks.ts';
export { parseOverride, applyOverrides, schemaAt } from './overrides.ts';
export { fillDefaults, canonicalize } from './defaults.ts';
export { pipelineJsonSchema } from './json-schema.ts';
