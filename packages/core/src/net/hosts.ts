/**
 * The Host header check of Kiln's servers (the UI, `kiln serve`), as plain functions each server wraps
 * in its own middleware. DNS rebinding: a page on evil.example whose name re-resolves to 127.0.0.1
 * still sends `Host: evil.example`, so only loopback names and the names of the bound address pass.
 */
import { hostname, networkInterfaces } from 'node:os';
import { LOOPBACK_HOSTS, isLoopback } from './credentials.ts';

/** The host name of a Host header value, without the port, lower-cased (IPv6 keeps its brackets). */
export function hostName(header: string): string {
  const h = header.trim().toLowerCase();
  if (h.startsWith('[')) {
    const end = h.indexOf(']');
    return end < 0 ? h : h.slice(0, end + 1);
  }
  const colon = h.indexOf(':');
  return colon < 0 ? h : h.slice(0, colon);
}

/** True when `header` names loopback or one of `extra` (e.g. the --host the server was bound to). */
export function isAllowedHost(header: string | undefined, extra: readonly string[] = []): boolean {
  if (header === undefined || header === '') return false;
  const name = hostName(header);
  const allowed = new Set([...LOOPBACK_HOSTS, ...extra.map((e) => hostName(e.includes(':') && !e.startsWith('[') ? `[${e}]` : e))]);
  return allowed.has(name);
}

/**
 * Host names the check accepts besides loopback when a server binds `host`: that address, and for a
 * wildcard (0.0.0.0, ::) this machine's name and addresses, the names other machines reach it by.
 */
export function allowedHostsFor(host: string): string[] {
  if (isLoopback(host)) return [];
  if (host !== '0.0.0.0' && host !== '::' && host !== '[::]') return [host];
  const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((i) => i.address));
  return [host, hostname(), ...addresses];
}
