import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { allowedHostsFor, hostName, isAllowedHost } from './hosts.ts';

describe('host names', () => {
  it('parses Host values with ports and IPv6 brackets, and allows loopback and the bound names only', () => {
    expect([hostName('LocalHost:4000'), hostName('[::1]:8080'), hostName('10.0.0.5')]).toEqual(['localhost', '[::1]', '10.0.0.5']);
    expect(isAllowedHost('127.0.0.1:5000')).toBe(true);
    expect(isAllowedHost('evil.example:5000')).toBe(false);
    expect(isAllowedHost('10.0.0.5:5000', allowedHostsFor('10.0.0.5'))).toBe(true);
    expect(isAllowedHost('10.0.0.6:5000', allowedHostsFor('10.0.0.5'))).toBe(false);
  });
  it('a loopback bind adds nothing; a wildcard bind adds this machine\'s name', () => {
    expect(allowedHostsFor('127.0.0.1')).toEqual([]);
    expect(allowedHostsFor('0.0.0.0')).toContain(hostname());
    expect(isAllowedHost(`${hostname()}:5000`, allowedHostsFor('0.0.0.0'))).toBe(true);
  });
});
