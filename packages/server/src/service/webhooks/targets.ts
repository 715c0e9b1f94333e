/**
 * Where a webhook may be sent (SSRF, docs/webhooks.md): an http(s) URL without credentials or a
 * fragment, whose host resolves to public addresses only — unless the environment's
 * `webhookSettings.allowPrivateTargets` is on. The check runs when an endpoint is created or
 * changed, and again at every connection (`guardedLookup`), on the very addresses the socket then
 * connects to, so a name that resolves elsewhere later (DNS rebinding) is still refused.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/** Non-public ranges: what a webhook may not reach unless the environment allows it. */
const NON_PUBLIC = new BlockList();
for (const [network, prefix] of [
  ['0.0.0.0', 8], // "this network", the unspecified address
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // CGNAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata services
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv4');
}
for (const [network, prefix] of [
  ['::', 128], // unspecified
  ['::1', 128], // loopback
  ['::', 96], // IPv4-compatible (deprecated)
  ['64:ff9b::', 96], // NAT64: may reach a private IPv4 address
  ['64:ff9b:1::', 48],
  ['100::', 64], // discard
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // site-local (deprecated)
  ['ff00::', 8], // multicast
] as const) {
  NON_PUBLIC.addSubnet(network, prefix, 'ipv6');
}

/** `true` when `address` (an IP literal) is a public address. An IPv4-mapped IPv6 address counts as its IPv4. */
export function isPublicAddress(address: string): boolean {
  const unbracketed = address.replace(/^\[(.*)\]$/, '$1');
  const family = isIP(unbracketed);
  if (family === 0) return false;
  if (family === 4) return !NON_PUBLIC.check(unbracketed, 'ipv4');
  const mapped = mappedIpv4(unbracketed);
  if (mapped !== null) return isPublicAddress(mapped);
  return !NON_PUBLIC.check(unbracketed, 'ipv6');
}

function mappedIpv4(ipv6: string): string | null {
  // `new URL` normalises `[::ffff:127.0.0.1]` to `[::ffff:7f00:1]`; accept both spellings.
  const dotted = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ipv6);
  if (dotted?.[1]) return dotted[1];
  const hex = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(ipv6);
  if (!hex?.[1] || !hex[2]) return null;
  const high = Number.parseInt(hex[1], 16);
  const low = Number.parseInt(hex[2], 16);
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

export type WebhookUrlProblem =
  | 'too_long'
  | 'not_a_url'
  | 'scheme'
  | 'credentials'
  | 'fragment'
  | 'private_address'
  | 'unresolvable';

export const WEBHOOK_URL_PROBLEMS: Record<WebhookUrlProblem, string> = {
  too_long: `url must be at most ${MAX_WEBHOOK_URL_LENGTH} characters.`,
  not_a_url: 'url must be an absolute URL.',
  scheme: 'url must be an http or https URL.',
  credentials: 'url must not contain credentials (user name or password).',
  fragment: 'url must not contain a fragment (#…).',
  private_address:
    'url must resolve to public addresses only; private, loopback and link-local addresses need the environment’s webhookSettings.allowPrivateTargets.',
  unresolvable: 'url’s host name does not resolve.',
};

/** The URL's shape alone (no DNS): the parsed URL, or what is wrong with it. */
export function parseWebhookUrl(
  url: string,
): { ok: true; url: URL } | { ok: false; problem: WebhookUrlProblem } {
  if (url.length > MAX_WEBHOOK_URL_LENGTH) return { ok: false, problem: 'too_long' };
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return { ok: false, problem: 'not_a_url' };
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return { ok: false, problem: 'scheme' };
  if (parsed.username !== '' || parsed.password !== '') return { ok: false, problem: 'credentials' };
  if (url.includes('#')) return { ok: false, problem: 'fragment' };
  return { ok: true, url: parsed };
}

export type ResolveHost = (hostname: string) => Promise<LookupAddress[]>;

export const resolveWithSystem: ResolveHost = (hostname) =>
  new Promise((resolve, reject) => {
    dnsLookup(hostname, { all: true, verbatim: true }, (error, addresses) =>
      error ? reject(error) : resolve(addresses),
    );
  });

/**
 * Checks a webhook URL as an endpoint is created or changed: its shape, then (unless private
 * targets are allowed) every address its host resolves to. `null` when it may be used.
 */
export async function checkWebhookUrl(
  url: string,
  options: { allowPrivateTargets: boolean; resolve?: ResolveHost },
): Promise<WebhookUrlProblem | null> {
  const parsed = parseWebhookUrl(url);
  if (!parsed.ok) return parsed.problem;
  const host = parsed.url.hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(host) !== 0)
    return options.allowPrivateTargets || isPublicAddress(host) ? null : 'private_address';
  let addresses: LookupAddress[];
  try {
    addresses = await (options.resolve ?? resolveWithSystem)(host);
  } catch {
    return 'unresolvable';
  }
  if (addresses.length === 0) return 'unresolvable';
  if (options.allowPrivateTargets) return null;
  return addresses.every((a) => isPublicAddress(a.address)) ? null : 'private_address';
}

/** Thrown by {@link guardedLookup} for a non-public address; the delivery records its message. */
export class PrivateAddressError extends Error {
  readonly code = 'EWEBHOOKPRIVATEADDRESS';
  constructor(hostname: string) {
    super(`${hostname} resolves to a non-public address`);
    this.name = 'PrivateAddressError';
  }
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A `net.connect` `lookup` that resolves as usual and refuses to hand over any non-public
 * address: the socket connects only to addresses this function checked.
 */
export function guardedLookup(resolve: ResolveHost = resolveWithSystem) {
  return (
    hostname: string,
    options: { all?: boolean; family?: number | string },
    callback: LookupCallback,
  ) => {
    resolve(hostname).then(
      (all) => {
        const wanted = all.filter(
          (a) => options.family === undefined || options.family === 0 || a.family === Number(options.family),
        );
        if (wanted.length === 0 || !wanted.every((a) => isPublicAddress(a.address))) {
          callback(new PrivateAddressError(hostname), []);
          return;
        }
        if (options.all) callback(null, wanted);
        else callback(null, wanted[0]?.address ?? '', wanted[0]?.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, []),
    );
  };
}
