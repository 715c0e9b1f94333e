/**
 * The device cookie (service/known-device.ts) per environment: `tessera_device` in `default`,
 * `tessera_device_<envId>` in the others, `__Host-` whenever the environment's cookies are
 * Secure, HttpOnly, the environment's SameSite, kept as long as a device stays known.
 */
import { DEFAULT_ENVIRONMENT_ID } from '@tessera/protocol';
import { TesseraError } from '../errors.js';
import { generateDeviceToken, isWellFormedDeviceToken } from '../service/known-device.js';
import type { EnvironmentRecord } from '../storage/records.js';
import { LOGIN_THROTTLE_POLICY } from '../throttle/throttle.js';
import { readSingleCookie, serializeHostCookie } from './cookies.js';

type Environment = Pick<EnvironmentRecord, 'id' | 'tokenSettings'>;

export function deviceCookieName(environment: Environment): string {
  const name =
    environment.id === DEFAULT_ENVIRONMENT_ID ? 'tessera_device' : `tessera_device_${environment.id}`;
  return environment.tokenSettings.cookie.secure ? `__Host-${name}` : name;
}

/**
 * The device token the browser sent, when it is well formed. A malformed or duplicated cookie is
 * no device: the attempt counts as from an unknown source, and the login goes on.
 */
export function readDeviceToken(header: string | undefined, environment: Environment): string | undefined {
  try {
    const value = readSingleCookie(header, deviceCookieName(environment), 'duplicate device cookie');
    return isWellFormedDeviceToken(value) ? value : undefined;
  } catch (error) {
    if (error instanceof TesseraError) return undefined;
    throw error;
  }
}

/** The browser's device token, or a new one, and the `Set-Cookie` to send once the password is right. */
export function ensureDeviceCookie(
  header: string | undefined,
  environment: Environment,
): { token: string; setCookie: string } {
  const token = readDeviceToken(header, environment) ?? generateDeviceToken();
  const { cookie } = environment.tokenSettings;
  const setCookie = serializeHostCookie(deviceCookieName(environment), token, {
    maxAgeSeconds: LOGIN_THROTTLE_POLICY.knownSourceTtlSeconds,
    sameSite: cookie.sameSite,
    secure: cookie.secure,
  });
  return { token, setCookie };
}
