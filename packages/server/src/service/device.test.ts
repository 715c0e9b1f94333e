import { describe, expect, it } from 'vitest';
import { describeDevice, UNKNOWN_DEVICE } from './device.js';

describe('describeDevice', () => {
  it('names browser, major version and operating system', () => {
    const mac =
      'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';
    expect(describeDevice(mac)).toEqual({
      browser: 'Chrome',
      browserVersion: '131',
      os: 'macOS',
      kind: 'desktop',
      label: 'Chrome 131 on macOS',
    });
    const iphone =
      'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
    expect(describeDevice(iphone)).toMatchObject({ label: 'Safari 17 on iOS', kind: 'mobile' });
  });

  it('says "Unknown device" for no, empty, unknown or hostile user agents, and never echoes them', () => {
    for (const ua of [null, undefined, '', 'curl/8.4.0', '<script>alert(1)</script>', 'x'.repeat(10_000)]) {
      const view = describeDevice(ua);
      expect(view.label).toBe(UNKNOWN_DEVICE);
      expect(view.browser).toBeNull();
    }
  });
});
