/** Public API of the tracker UI: the app (for tests and embedding) and the server the CLI starts. */
export { createApp, type AppOptions } from './app.ts';
export { serveUi, isLoopback, type ServeOptions } from './serve.ts';
