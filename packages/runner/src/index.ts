/**
 * @kiln/runner's public API: track runs from your own code into the Kiln store (startRun), and a
 * tfjs-layers callback that tracks model.fit (kilnCallback). Neither loads TensorFlow.js.
 */
export { startRun, type Run, type StartRunOptions, type LogOptions, type EndStatus } from './track/run.ts';
export { kilnCallback, type KilnCallback, type KilnCallbackOptions } from './track/callback.ts';
export type { FitModel, FitParams, Configurable } from './track/model-params.ts';
export type { SavableModel, ModelArtifactsLike } from './track/model-files.ts';
export type { TfLike } from './track/tf-info.ts';
export type { ArtifactRecord } from '@kiln/core/store';
