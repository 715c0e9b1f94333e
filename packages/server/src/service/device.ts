/**
 * The device of a session, parsed from its user agent for people to read: "Chrome 131 on macOS".
 * Parsing is Bowser's (a maintained parser), never ours. The raw string stays the source of truth
 * and is stored as sent; this view is computed when a session is listed.
 */
import type { DeviceView } from '@tessera/protocol';
import Bowser from 'bowser';

/** The wire shape, shared with the SDKs (`@tessera/protocol`). */
export type { DeviceView };

/** Longer user agents are cut before parsing; nothing legitimate comes near it. */
const MAX_PARSED_LENGTH = 512;

export const UNKNOWN_DEVICE = 'Unknown device';

export function describeDevice(userAgent: string | null | undefined): DeviceView {
  if (!userAgent) return { browser: null, browserVersion: null, os: null, kind: null, label: UNKNOWN_DEVICE };
  const parsed = Bowser.parse(userAgent.slice(0, MAX_PARSED_LENGTH));
  const browser = parsed.browser.name || null;
  const browserVersion = parsed.browser.version?.split('.')[0] || null;
  const os = parsed.os.name || null;
  const kind = parsed.platform.type || null;
  const label = deviceLabel(browser, browserVersion, os);
  return { browser, browserVersion, os, kind, label };
}

function deviceLabel(browser: string | null, version: string | null, os: string | null): string {
  const named = browser === null ? null : version === null ? browser : `${browser} ${version}`;
  if (named !== null && os !== null) return `${named} on ${os}`;
  return named ?? os ?? UNKNOWN_DEVICE;
}
