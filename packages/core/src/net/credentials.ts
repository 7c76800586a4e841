/**
 * Credentials for Kiln's servers (the UI, `kiln serve`) when they listen beyond this machine: one
 * secret token, from an environment variable or a file, accepted as a bearer token or as the
 * password of basic auth (so a browser's login prompt works). Only its sha256 is kept in memory and
 * requests are compared against it in constant time; the token itself is never put in an error,
 * a log line or the store.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { KilnFailure, type KilnError } from '../errors.ts';

/** A loaded token: its digest, and where it came from (for messages; never the token). */
export interface Credentials {
  readonly digest: Buffer;
  /** e.g. `$KILN_UI_TOKEN` or `the token file ./ui.token`. */
  readonly source: string;
}

/** Where a server looks for its token. */
export interface CredentialSources {
  /** The file option's value (`--token-file`), read first when given. */
  tokenFile?: string;
  /** Environment variables tried in order, e.g. ['KILN_UI_TOKEN', 'KILN_TOKEN']. */
  envNames: readonly string[];
  /** The option that names the file, for errors (`--token-file`). */
  fileOption: string;
  env?: NodeJS.ProcessEnv;
}

/** Where `kiln ui` looks for its token: the CLI's pre-check and the UI process must read the same places. */
export const UI_TOKEN_SOURCES = { envNames: ['KILN_UI_TOKEN', 'KILN_TOKEN'], fileOption: '--token-file' } as const satisfies Pick<CredentialSources, 'envNames' | 'fileOption'>;

/** Shorter tokens are refused: they can be guessed over the network. */
export const MIN_TOKEN_LENGTH = 16;

/** The challenge a 401 carries: basic first, which browsers answer with a login prompt. */
export const CHALLENGES = ['Basic realm="Kiln", charset="UTF-8"', 'Bearer realm="Kiln"'] as const;

/** The names of this machine's loopback interface, as a Host header or a --host gives them. */
export const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

/** True for hosts that keep a server on this machine (no credentials needed there). */
export function isLoopback(host: string): boolean {
  return LOOPBACK_HOSTS.has(host.toLowerCase()) || /^127\.\d+\.\d+\.\d+$/.test(host);
}

const digestOf = (token: string) => createHash('sha256').update(token, 'utf8').digest();

const GENERATE = 'generate one with `openssl rand -hex 32`';

function tokenError(code: string, path: string, message: string, hint: string, file?: string): KilnFailure {
  const e: KilnError = { code, path, message, hint };
  return new KilnFailure(file === undefined ? e : { ...e, file });
}

/** A token's own problems (empty, too short, spaces inside); the token is never quoted. */
function checkToken(token: string, source: string, path: string, file?: string): Credentials {
  if (token === '') throw tokenError('auth/empty-token', path, `${source} is empty`, `put a token in it; ${GENERATE}`, file);
  if (token.length < MIN_TOKEN_LENGTH) throw tokenError('auth/weak-token', path, `the token in ${source} is ${token.length} characters long; at least ${MIN_TOKEN_LENGTH} are required`, GENERATE, file);
  if (/\s/.test(token)) throw tokenError('auth/bad-token', path, `the token in ${source} contains whitespace`, `use a token of letters and digits; ${GENERATE}`, file);
  return { digest: digestOf(token), source };
}

/** Reads the token from the file option or the first set environment variable; undefined when neither is given. */
export function loadCredentials(sources: CredentialSources): Credentials | undefined {
  const env = sources.env ?? process.env;
  if (sources.tokenFile !== undefined) {
    const file = sources.tokenFile;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      const why = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'it does not exist' : (e as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a folder' : 'it cannot be read';
      throw tokenError('auth/token-file', sources.fileOption, `cannot read the token file ${file}: ${why}`, `write a token into it (${GENERATE} > ${file}; chmod 600 ${file})`, file);
    }
    return checkToken((text.split(/\r?\n/)[0] ?? '').trim(), `the token file ${file}`, sources.fileOption, file);
  }
  for (const name of sources.envNames) {
    const value = env[name];
    // Set but empty reads as unset (`KILN_UI_TOKEN= kiln ui` is how a shell unsets it for one command).
    if (value !== undefined && value !== '') return checkToken(value.trim(), `$${name}`, name);
  }
  return undefined;
}

/**
 * Why a server may not start on `host` with these credentials, or undefined when it may: off
 * loopback a token is required. `what` names the server in the message (e.g. `kiln ui`).
 */
export function refusal(host: string, credentials: Credentials | undefined, what: string, sources: Pick<CredentialSources, 'envNames' | 'fileOption'>): KilnError | undefined {
  if (isLoopback(host) || credentials !== undefined) return undefined;
  const envs = sources.envNames.map((n) => `$${n}`).join(' or ');
  return {
    code: 'auth/token-required',
    path: '--host',
    message: `${what} will not listen on ${host} without credentials: anyone who can reach it would read every run, parameter and artifact`,
    hint: `set ${envs} to a token (${GENERATE}), or pass ${sources.fileOption} FILE; or keep the default --host 127.0.0.1 and reach it through an SSH tunnel`,
  };
}

/** The secret a request presents: a bearer token, or the password of basic auth; undefined for anything else. */
export function presentedSecret(authorization: string | undefined): string | undefined {
  if (authorization === undefined) return undefined;
  const m = /^\s*(bearer|basic)\s+(\S+)\s*$/i.exec(authorization);
  if (!m || m[2] === undefined) return undefined;
  if (m[1]?.toLowerCase() === 'bearer') return m[2];
  const decoded = Buffer.from(m[2], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : decoded.slice(colon + 1);
}

/** True when the Authorization header carries the token; compared as sha256 digests in constant time. */
export function authorized(authorization: string | undefined, credentials: Credentials): boolean {
  const secret = presentedSecret(authorization);
  // A digest of nothing is still compared, so a missing header takes the time a wrong one does.
  const digest = digestOf(secret ?? '');
  return timingSafeEqual(digest, credentials.digest) && secret !== undefined;
}
