/**
 * Signing keys: the published keys with the role the server gives each (current, next, retired)
 * and "Rotate signing key". A rotation publishes the next key at once; it starts signing once every
 * verifier's cached JWKS has it.
 */
import { useEffect, useState } from 'react';
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

/** How long to wait again when the server still calls a key next after its activation (clocks differ). */
const RECHECK_MS = 5000;

/**
 * When to load the keys again to show a next key signing (ms from `now`): a second after the
 * earliest next key's activation, or `RECHECK_MS` once it has passed; `null` while no key is next.
 */
export function keysReloadDelay(keys: readonly PublishedKey[], now: number): number | null {
  const activations = keys
    .filter((key) => key.status === 'next')
    .map((key) => Date.parse(key.activatesAt))
    .filter((at) => !Number.isNaN(at));
  if (activations.length === 0) return null;
  const until = Math.min(...activations) - now;
  return until > 0 ? Math.min(until + 1000, 2 ** 31 - 1) : RECHECK_MS;
}

const STATUS_BADGE: Record<PublishedKey['status'], { tone: BadgeTone; label: string; text: string }> = {
  current: { tone: 'success', label: 'Current', text: 'Signs new access tokens.' },
  next: { tone: 'info', label: 'Next', text: 'Published so verifiers cache it; signs from its activation.' },
  retired: {
    tone: 'neutral',
    label: 'Retired',
    text: 'No longer signs; kept until the tokens it signed expire.',
  },
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

  // A next key starts signing at its activation: load the keys again then to show it.
  const { data: loaded, reload } = keys;
  useEffect(() => {
    const delay = loaded ? keysReloadDelay(loaded.keys, Date.now()) : null;
    if (delay === null) return;
    const timer = setTimeout(reload, delay);
    return () => clearTimeout(timer);
  }, [loaded, reload]);

  const rotate = async () => {
    const result = await admin<Rotated>(envPath(envId, '/keys/rotate'), { method: 'POST' });
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
                  <th scope="col">Retired</th>
                </tr>
              </thead>
              <tbody>
                {list.map((key) => {
                  const status = STATUS_BADGE[key.status];
                  return (
                    <tr key={key.kid}>
                      <td className="mono cell-wrap">{key.kid}</td>
                      <td>
                        <Badge tone={status.tone}>{status.label}</Badge>
                        <span className="sub">{status.text}</span>
                      </td>
                      <td>{key.alg}</td>
                      <td>{[key.kty, key.crv].filter(Boolean).join(' ')}</td>
                      <td className="nowrap" title={formatDateTime(key.activatesAt)}>
                        {formatRelative(key.activatesAt, now)}
                      </td>
                      <td
                        className="nowrap"
                        title={key.retiredAt ? formatDateTime(key.retiredAt) : undefined}
                      >
                        {formatRelative(key.retiredAt, now)}
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
