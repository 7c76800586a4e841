/** The file names of a saved model, apart from io.ts so writers that must not load TensorFlow.js (track/) share them. */
export const MODEL_FILE = 'model.json';
export const WEIGHTS_FILE = 'weights.bin';
