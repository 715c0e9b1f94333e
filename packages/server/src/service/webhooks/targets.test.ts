/** The SSRF rule (docs/webhooks.md): which URLs and addresses a webhook may target. */
import { describe, expect, it } from 'vitest';
import {
  checkWebhookUrl,
  guardedLookup,
  isPublicAddress,
  PrivateAddressError,
  parseWebhookUrl,
} from './targets.js';

describe('isPublicAddress', () => {
  it.each([
    '0.0.0.0',
    '10.1.2.3',
    '100.64.0.1',
    '100.127.255.254',
    '127.0.0.1',
    '127.255.255.255',
    '169.254.169.254',
    '172.16.0.1',
    '172.31.255.255',
    '192.168.1.1',
    '192.0.0.8',
    '198.18.0.1',
    '224.0.0.1',
    '239.255.255.250',
    '255.255.255.255',
    '::',
    '::1',
    '[::1]',
    'fe80::1',
    'fc00::1',
    'fd12:3456::1',
    'ff02::1',
    '::ffff:127.0.0.1',
    '::ffff:7f00:1',
    '::ffff:10.0.0.1',
    '::ffff:a9fe:a9fe',
    '::127.0.0.1',
    '64:ff9b::a00:1',
    'not-an-ip',
  ])('refuses %s', (address) => {
    expect(isPublicAddress(address)).toBe(false);
  });

  it.each([
    '1.1.1.1',
    '8.8.8.8',
    '100.63.255.255',
    '100.128.0.0',
    '172.15.255.255',
    '172.32.0.0',
    '2606:4700:4700::1111',
    '::ffff:8.8.8.8',
    '::ffff:808:808',
  ])('accepts %s', (address) => {
    expect(isPublicAddress(address)).toBe(true);
  });
});

describe('parseWebhookUrl', () => {
  it.each([
    ['ftp://hooks.example/x', 'scheme'],
    ['javascript:alert(1)', 'scheme'],
    ['file:///etc/passwd', 'scheme'],
    ['hooks.example/x', 'not_a_url'],
    ['/relative', 'not_a_url'],
    ['https://user:pass@hooks.example/', 'credentials'],
    ['https://user@hooks.example/', 'credentials'],
    ['https://hooks.example/x#frag', 'fragment'],
    ['https://hooks.example/x#', 'fragment'],
    [`https://hooks.example/${'a'.repeat(2048)}`, 'too_long'],
  ])('refuses %s (%s)', (url, problem) => {
    expect(parseWebhookUrl(url)).toEqual({ ok: false, problem });
  });

  it('accepts http and https URLs with a path, a query and a port', () => {
    expect(parseWebhookUrl('https://hooks.example:8443/in?x=1').ok).toBe(true);
    expect(parseWebhookUrl('http://hooks.example/in').ok).toBe(true);
  });
});

describe('checkWebhookUrl', () => {
  const resolveTo =
    (...addresses: string[]) =>
    async () =>
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }));

  it('refuses a name that resolves to any private address, unless private targets are allowed', async () => {
    const resolve = resolveTo('93.184.215.14', '10.0.0.5');
    expect(await checkWebhookUrl('https://hooks.example/', { allowPrivateTargets: false, resolve })).toBe(
      'private_address',
    );
    expect(
      await checkWebhookUrl('https://hooks.example/', { allowPrivateTargets: true, resolve }),
    ).toBeNull();
    expect(
      await checkWebhookUrl('https://hooks.example/', {
        allowPrivateTargets: false,
        resolve: resolveTo('93.184.215.14'),
      }),
    ).toBeNull();
  });

  it('refuses private address literals without resolving, and accepts them when allowed', async () => {
    const resolve = async () => {
      throw new Error('must not resolve');
    };
    for (const url of [
      'http://127.0.0.1:8080/',
      'http://[::1]/',
      'http://[::ffff:127.0.0.1]/',
      'http://169.254.169.254/',
      // Other spellings of 127.0.0.1 and 10.0.0.1, normalised by the URL parser.
      'http://2130706433/',
      'http://0x7f.1/',
      'http://0177.0.0.1/',
      'http://10.1/',
    ]) {
      expect(await checkWebhookUrl(url, { allowPrivateTargets: false, resolve }), url).toBe(
        'private_address',
      );
      expect(await checkWebhookUrl(url, { allowPrivateTargets: true, resolve }), url).toBeNull();
    }
  });

  it('refuses a name that does not resolve, and localhost with the system resolver', async () => {
    expect(await checkWebhookUrl('https://nothing.invalid/', { allowPrivateTargets: true })).toBe(
      'unresolvable',
    );
    expect(await checkWebhookUrl('http://localhost:9/', { allowPrivateTargets: false })).toBe(
      'private_address',
    );
  });
});

describe('guardedLookup', () => {
  const lookup = (addresses: string[], options: { all?: boolean; family?: number }) =>
    new Promise<{ error: Error | null; address: unknown; family?: number | undefined }>((resolve) => {
      guardedLookup(async () =>
        addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
      )('hooks.example', options, (error, address, family) => resolve({ error, address, family }));
    });

  it('hands over public addresses, one or all', async () => {
    expect(await lookup(['93.184.215.14'], {})).toEqual({ error: null, address: '93.184.215.14', family: 4 });
    expect((await lookup(['93.184.215.14', '2606:4700::1'], { all: true })).address).toEqual([
      { address: '93.184.215.14', family: 4 },
      { address: '2606:4700::1', family: 6 },
    ]);
  });

  it('refuses when any address is private: a rebinding name never reaches the socket', async () => {
    const result = await lookup(['93.184.215.14', '127.0.0.1'], { all: true });
    expect(result.error).toBeInstanceOf(PrivateAddressError);
    expect((await lookup(['::ffff:10.0.0.1'], {})).error).toBeInstanceOf(PrivateAddressError);
  });
});
