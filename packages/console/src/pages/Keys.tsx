/**
 * Signing keys: the published keys (current, next, retired) and "Rotate signing key". A rotation
 * publishes the next key at once; it starts signing once every verifier's cached JWKS has it.
 */
import { useState } from 'react';
import { admin } from '../api';
import { Badge, type BadgeTone } from '../components/Badge';
import { ConfirmDialog } from '../components/ConfirmDialog';
import { PageHeader } from '../components/PageHeader';
import { EmptyState, ErrorState, Loading } from '../components/States';
import { useToast } from '../components/Toasts';
import { envPath, useEnvironment } from '../environment';
import { formatDateTime, formatRelative } from '../format';
import { useLoad, useNow } from '../hooks';
import type { PublishedKey } from '../types';

interface Rotated {
  kid: string;
  alg: string;
  activatesAt: string;
}

type Role = 'current' | 'next' | 'retired' | 'published';

/**
 * Which role a key has: the server's `status` when it says; else the rotation this page just made
 * names the next key, and the first key published is the one signing (the JWKS lists it first).
 */
export function keyRole(key: PublishedKey, index: number, rotated: Rotated | null, now: number): Role {
  if (key.status) return key.status;
  if (rotated && key.kid === rotated.kid) return Date.parse(rotated.activatesAt) > now ? 'next' : 'current';
  if (index === 0 && !(rotated && Date.parse(rotated.activatesAt) <= now)) return 'current';
  return rotated ? 'retired' : 'published';
}

const ROLE_BADGE: Record<Role, { tone: BadgeTone; label: string; text: string }> = {
  current: { tone: 'success', label: 'Current', text: 'Signs new access tokens.' },
  next: { tone: 'info', label: 'Next', text: 'Published so verifiers cache it; signs from its activation.' },
  retired: {
    tone: 'neutral',
    label: 'Retired',
    text: 'No longer signs; kept until the tokens it signed expire.',
  },
  published: { tone: 'neutral', label: 'Published', text: 'Verifies tokens.' },
};

export function KeysPage() {
  const { envId, environment } = useEnvironment();
  const toast = useToast();
  const now = useNow(5000);
  const keys = useLoad(
    (signal) => admin<{ keys: PublishedKey[] }>(envPath(envId, '/keys'), { signal }),
    [envId],
  );
  const [confirming, setConfirming] = useState(false);
  const [rotated, setRotated] = useState<Rotated | null>(null);

  const rotate = async () => {
    const result = await admin<Rotated>(envPath(envId, '/keys/rotate'), { method: 'POST' });
    setRotated(result);
    keys.reload();
    toast(`New key ${result.kid} published; it signs from ${formatDateTime(result.activatesAt)}.`);
  };

  const list = keys.data?.keys ?? [];
  return (
    <>
      <PageHeader
        title="Keys"
        description="The keys that sign this environment's access tokens, as published in its JWKS. Verifiers fetch them from the JWKS URL."
        actions={
          <button type="button" className="button button-primary" onClick={() => setConfirming(true)}>
            Rotate signing key
          </button>
        }
      />
      <section className="card" aria-label="Published keys">
        {keys.error && !keys.data ? (
          <ErrorState error={keys.error} onRetry={keys.reload} />
        ) : !keys.data ? (
          <Loading />
        ) : list.length === 0 ? (
          <EmptyState title="No published keys" />
        ) : (
          <div className="table-wrap">
            <table>
              <thead>
                <tr>
                  <th scope="col">Key ID</th>
                  <th scope="col">Status</th>
                  <th scope="col">Algorithm</th>
                  <th scope="col">Type</th>
                  <th scope="col">Activates</th>
                </tr>
              </thead>
              <tbody>
                {list.map((key, index) => {
                  const role = ROLE_BADGE[keyRole(key, index, rotated, now)];
                  const activatesAt =
                    key.activatesAt ?? (rotated && rotated.kid === key.kid ? rotated.activatesAt : undefined);
                  return (
                    <tr key={key.kid ?? index}>
                      <td className="mono cell-wrap">{key.kid ?? '—'}</td>
                      <td>
                        <Badge tone={role.tone}>{role.label}</Badge>
                        <span className="sub">{role.text}</span>
                      </td>
                      <td>{key.alg ?? '—'}</td>
                      <td>{[key.kty, key.crv].filter(Boolean).join(' ') || '—'}</td>
                      <td className="nowrap" title={activatesAt ? formatDateTime(activatesAt) : undefined}>
                        {activatesAt ? formatRelative(activatesAt, now) : '—'}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
      </section>
      <p className="page-note muted">
        Signing algorithm: <strong>{environment?.tokenSettings.signingAlgorithm}</strong> (changed on the
        Environments page; changing it is a rotation to a key of the new algorithm).
      </p>
      {confirming ? (
        <ConfirmDialog
          title="Rotate the signing key?"
          confirmLabel="Rotate now"
          onConfirm={rotate}
          onClose={() => setConfirming(false)}
        >
          <p>
            A new key is published in the JWKS now and starts signing once every verifier's cached copy
            includes it (a few minutes). The current key keeps verifying until the tokens it signed expire.
          </p>
          <p>Nobody is signed out: apps and APIs keep working throughout.</p>
        </ConfirmDialog>
      ) : null}
    </>
  );
}
