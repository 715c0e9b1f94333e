/**
 * The environment settings form's fields: each with what it does, its recommended range, and what
 * users notice at their next refresh. Bounds mirror the admin API's (DESIGN §2); the API decides.
 */
import { MAX_ACCESS_TOKEN_TTL_SECONDS, SIGNING_ALGORITHMS } from '@tessera/protocol';
import type { ReactNode } from 'react';
import { POLICY_HINTS } from '../components/PolicyHints';

export type FieldKind = 'seconds' | 'count' | 'text' | 'select' | 'checkbox';

export interface EnvironmentField {
  /** The form key, and the setting's JSON Pointer in the PATCH body. */
  key: string;
  pointer: string;
  label: string;
  kind: FieldKind;
  /** An empty number turns the limit off (sent as null). */
  nullable?: boolean;
  options?: readonly { value: string; label: string }[];
  hint: ReactNode;
}

export interface FieldGroup {
  title: string;
  description: string;
  /** Shown only when the environment has this part (a server without webhooks has no webhookSettings). */
  requires?: 'webhookSettings';
  fields: EnvironmentField[];
}

export const ENVIRONMENT_FIELDS: readonly FieldGroup[] = [
  {
    title: 'Tokens',
    description: 'How long tokens live and how they are signed.',
    fields: [
      {
        key: 'accessTokenTtlSeconds',
        pointer: '/tokenSettings/accessTokenTtlSeconds',
        label: 'Access token lifetime (seconds)',
        kind: 'seconds',
        hint: (
          <>
            <p>
              How long an access token is accepted by APIs. Recommended: 300–900 (5–15 min); allowed 10–
              {MAX_ACCESS_TOKEN_TTL_SECONDS}. Shorter means an ended session stops working sooner, at the cost
              of more refreshes.
            </p>
            <p>
              At their next refresh: users get tokens with the new lifetime; tokens already issued keep
              theirs.
            </p>
          </>
        ),
      },
      {
        key: 'refreshTokenTtlSeconds',
        pointer: '/tokenSettings/refreshTokenTtlSeconds',
        label: 'Refresh token lifetime (seconds)',
        kind: 'seconds',
        hint: (
          <>
            <p>
              How long each refresh token stays valid; every refresh issues a new one. Recommended: 86 400–2
              592 000 (1–30 days), more than the access token's.
            </p>
            <p>
              At their next refresh: the new refresh token gets the new lifetime (never past the absolute
              timeout).
            </p>
          </>
        ),
      },
      {
        key: 'rotationGraceSeconds',
        pointer: '/tokenSettings/rotationGraceSeconds',
        label: 'Rotation grace (seconds)',
        kind: 'seconds',
        hint: (
          <p>
            How long a just-replaced refresh token still returns the same successor (racing tabs, a retried
            request) instead of counting as theft. Recommended: 5–30; allowed 0–60. Applies to the next
            rotation.
          </p>
        ),
      },
      {
        key: 'signingAlgorithm',
        pointer: '/tokenSettings/signingAlgorithm',
        label: 'Signing algorithm',
        kind: 'select',
        options: SIGNING_ALGORITHMS.map((alg) => ({
          value: alg,
          label: alg === 'ES256' ? 'ES256 (recommended)' : alg === 'RS256' ? 'RS256 (3072-bit RSA)' : alg,
        })),
        hint: (
          <p>
            ES256 is compact and widely supported; EdDSA is fastest; RS256 suits verifiers that know only RSA.
            A change is a key rotation: the new key signs once verifiers have cached it, and nobody is signed
            out.
          </p>
        ),
      },
    ],
  },
  {
    title: 'Refresh cookie',
    description: "The HttpOnly cookie that carries the browser's refresh token.",
    fields: [
      {
        key: 'cookieName',
        pointer: '/tokenSettings/cookie/name',
        label: 'Cookie name',
        kind: 'text',
        hint: (
          <p>
            Without a <code>__Host-</code> prefix: it is added whenever Secure is on. Renaming signs every
            browser out at its next refresh (the old cookie is no longer read).
          </p>
        ),
      },
      {
        key: 'cookieSameSite',
        pointer: '/tokenSettings/cookie/sameSite',
        label: 'SameSite',
        kind: 'select',
        options: [
          { value: 'lax', label: 'Lax (recommended)' },
          { value: 'strict', label: 'Strict' },
          { value: 'none', label: 'None (cross-site; needs Secure)' },
        ],
        hint: (
          <p>
            Lax suits apps on the same site as Tessera. None is only for apps on another site, and needs
            Secure. Applies to the cookie set at the next refresh.
          </p>
        ),
      },
      {
        key: 'cookieSecure',
        pointer: '/tokenSettings/cookie/secure',
        label: 'Secure (HTTPS only)',
        kind: 'checkbox',
        hint: <p>Keep on. Off is allowed only for plain-http localhost during development.</p>,
      },
    ],
  },
  {
    title: 'Session policy',
    description:
      'Limits on every session in this environment; a tenant may make them stricter. Empty turns a limit off.',
    fields: [
      {
        key: 'idleTimeoutSeconds',
        pointer: '/sessionPolicy/idleTimeoutSeconds',
        label: 'Idle timeout (seconds)',
        kind: 'seconds',
        nullable: true,
        hint: POLICY_HINTS.idle,
      },
      {
        key: 'absoluteTimeoutSeconds',
        pointer: '/sessionPolicy/absoluteTimeoutSeconds',
        label: 'Absolute timeout (seconds)',
        kind: 'seconds',
        nullable: true,
        hint: POLICY_HINTS.absolute,
      },
      {
        key: 'maxConcurrentSessions',
        pointer: '/sessionPolicy/maxConcurrentSessions',
        label: 'Max concurrent sessions',
        kind: 'count',
        nullable: true,
        hint: POLICY_HINTS.max,
      },
      {
        key: 'onLimit',
        pointer: '/sessionPolicy/onLimit',
        label: 'At the session limit',
        kind: 'select',
        options: [
          { value: 'evict_oldest', label: 'End the oldest session' },
          { value: 'reject', label: 'Refuse the new sign-in' },
        ],
        hint: POLICY_HINTS.onLimit,
      },
    ],
  },
  {
    title: 'Webhooks',
    description: 'Where this environment may deliver webhooks.',
    requires: 'webhookSettings',
    fields: [
      {
        key: 'allowPrivateTargets',
        pointer: '/webhookSettings/allowPrivateTargets',
        label: 'Allow private and loopback targets',
        kind: 'checkbox',
        hint: (
          <p>
            Lets endpoints resolve to private, loopback or link-local addresses. Keep off in production: it
            would let a webhook reach services inside your network. Applies to the next delivery attempt.
          </p>
        ),
      },
    ],
  },
];
