import { describe, expect, it } from 'vitest';
import { ipThrottleSubject } from './ip-subject.js';

describe('ipThrottleSubject', () => {
  it.each([
    ['an IPv4 address', '192.0.2.7', '192.0.2.7'],
    ['an IPv4-mapped IPv6 address', '::ffff:192.0.2.7', '192.0.2.7'],
    ['an IPv4-mapped address in capitals', '::FFFF:192.0.2.7', '192.0.2.7'],
    ['a full IPv6 address', '2001:0db8:0001:0002:aaaa:bbbb:cccc:dddd', '2001:db8:1:2::/64'],
    ['a compressed IPv6 address', '2001:db8:1:2::1', '2001:db8:1:2::/64'],
    ['compression inside the prefix', '2001:db8::1', '2001:db8:0:0::/64'],
    ['upper-case hex', '2001:DB8:A::1', '2001:db8:a:0::/64'],
    ['the loopback', '::1', '0:0:0:0::/64'],
    ['a zone id', 'fe80::1%eth0', 'fe80:0:0:0::/64'],
    ['an embedded IPv4 tail', '64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
    ['something that is not an address', 'unix-socket', 'unix-socket'],
  ])('%s', (_, ip, expected) => {
    expect(ipThrottleSubject(ip)).toBe(expected);
  });

  it('puts two addresses of one /64 together and two /64s apart', () => {
    expect(ipThrottleSubject('2001:db8:1:2::1')).toBe(ipThrottleSubject('2001:db8:1:2:ffff::9'));
    expect(ipThrottleSubject('2001:db8:1:2::1')).not.toBe(ipThrottleSubject('2001:db8:1:3::1'));
  });
});
