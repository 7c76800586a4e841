/**
 * The UI server of `pnpm bench ui`'s load test, in a process of its own so the load generator does not share its
 * event loop: serves the store named by argv[2] on a free loopback port, prints the URL, and stops when its
 * standard input closes (the bench exiting, however it exits).
 */
import { serveUi } from '../serve.ts';

const store = process.argv[2];
if (store === undefined) throw new Error('usage: serve-child.ts <store>');
const server = await serveUi({ store, port: 0, log: () => undefined });
process.stdout.write(`${server.url}\n`);
process.stdin.resume();
process.stdin.on('close', () => void server.close().then(() => process.exit(0)));
