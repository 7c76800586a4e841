import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hostName, isAllowedHost } from './host.ts';
import { get, hostileFixture, type Fixture } from '../testing/fixture.ts';

describe('host check', () => {
  it('parses host names with ports and IPv6 brackets', () => {
    expect(hostName('LocalHost:4000')).toBe('localhost');
    expect(hostName('[::1]:4000')).toBe('[::1]');
    expect(hostName('127.0.0.1')).toBe('127.0.0.1');
  });

  it('allows loopback names and an explicit host, nothing else', () => {
    for (const h of ['localhost:4000', '127.0.0.1:4000', '[::1]:4000', 'localhost']) expect(isAllowedHost(h)).toBe(true);
    for (const h of ['evil.example', 'evil.example:4000', '127.0.0.1.evil.example', 'localhost.evil.example', '', undefined]) expect(isAllowedHost(h)).toBe(false);
    expect(isAllowedHost('10.0.0.5:4000', ['10.0.0.5'])).toBe(true);
    expect(isAllowedHost('[fe80::1]:4000', ['fe80::1'])).toBe(true);
    expect(isAllowedHost('10.0.0.6:4000', ['10.0.0.5'])).toBe(false);
  });

  let f: Fixture;
  beforeAll(async () => {
    f = await hostileFixture();
  });
  afterAll(() => f.store.close());

  it('answers 421 to a rebinding Host and 200 to loopback', async () => {
    expect((await get(f.app, '/api/runs', { headers: { host: 'evil.example:4000' } })).status).toBe(421);
    expect((await get(f.app, '/', { headers: { host: 'attacker.test' } })).status).toBe(421);
    expect((await get(f.app, '/api/runs', { headers: { host: 'localhost:4000' } })).status).toBe(200);
    expect((await get(f.app, '/api/runs', { headers: { host: '[::1]:4000' } })).status).toBe(200);
  });
});
