import { isIP } from 'node:net';
import type { ParseResult } from './parse-result.js';

/**
 * Which peers may set `X-Forwarded-For` (security checklist AUTH-05): `false` trusts none (the
 * socket address is the client), `true` trusts every peer (only behind a proxy that strips the
 * header from outside traffic), a list trusts those addresses and ranges. Passed as is to
 * Fastify's `trustProxy`.
 */
export type TrustProxy = boolean | readonly string[];

// Named ranges that Fastify's `trustProxy` (through `proxy-addr`) understands.
const NAMED_RANGES = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** Parses `TESSERA_TRUST_PROXY`: `false`, `true`, or a comma-separated list of IPs, CIDRs and named ranges. */
export function parseTrustProxy(text: string): ParseResult<TrustProxy> {
  if (text === 'false') return { ok: true, value: false };
  if (text === 'true') return { ok: true, value: true };
  const entries = text.split(',').map((entry) => entry.trim());
  const invalid = entries.filter((entry) => !isAddressOrRange(entry));
  if (invalid.length > 0) {
    return {
      ok: false,
      problem: `has entries that are not an IP address or CIDR range: ${JSON.stringify(invalid)}`,
    };
  }
  return { ok: true, value: Object.freeze(entries) };
}

function isAddressOrRange(entry: string): boolean {
  if (NAMED_RANGES.has(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (version === 4 ? 32 : 128);
}
