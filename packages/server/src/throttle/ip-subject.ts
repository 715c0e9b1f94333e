import { isIPv4, isIPv6 } from 'node:net';

const IPV4_MAPPED = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/**
 * The key an address's login failures are counted under. An IPv4 address counts on its own (also
 * when written IPv4-mapped, `::ffff:192.0.2.1`, as dual-stack sockets report it). An IPv6 address
 * counts per /64: one subscriber usually holds a whole /64, so counting single addresses would let
 * one attacker rotate through 2^64 of them.
 *
 * @example
 * ipThrottleSubject('2001:db8:1:2:aaaa::1') // '2001:db8:1:2::/64'
 */
export function ipThrottleSubject(ip: string): string {
  const mapped = IPV4_MAPPED.exec(ip)?.[1];
  if (mapped !== undefined && isIPv4(mapped)) return mapped;
  if (isIPv4(ip)) return ip;
  const address = ip.split('%')[0] ?? ip;
  if (!isIPv6(address)) return ip;
  return `${ipv6Groups(address).slice(0, 4).join(':')}::/64`;
}

/** The eight 16-bit groups of a valid IPv6 address, in lower-case hex without leading zeros. */
function ipv6Groups(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const toGroups = (part: string): string[] =>
    part === '' ? [] : part.split(':').flatMap((group) => (group.includes('.') ? ['0', '0'] : [group]));
  const headGroups = toGroups(head);
  const tailGroups = tail === undefined ? [] : toGroups(tail);
  const zeros = Array.from({ length: 8 - headGroups.length - tailGroups.length }, () => '0');
  return [...headGroups, ...zeros, ...tailGroups].map((group) => Number.parseInt(group, 16).toString(16));
}
