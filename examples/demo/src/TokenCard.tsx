import { useAccessToken, useAuth } from '@tessera/react';
import { useEffect, useMemo, useState } from 'react';
import { formatClock, formatDuration } from './format';
import { decodeJwtPayload } from './jwt';
import { useNow } from './use-now';

const INTERACTIONS = ['pointerdown', 'keydown', 'wheel', 'touchstart'] as const;
/** The SDK refreshes at 75–85 % of the lifetime; the countdown aims at the middle. */
const REFRESH_AT = 0.8;

/** Whether the user interacted with this tab since `since` changed (a new token). */
function useInteractedSince(since: unknown): boolean {
  const [interacted, setInteracted] = useState(false);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `since` is the reset signal
  useEffect(() => {
    setInteracted(false);
    const mark = () => setInteracted(true);
    for (const type of INTERACTIONS) window.addEventListener(type, mark, { passive: true });
    return () => {
      for (const type of INTERACTIONS) window.removeEventListener(type, mark);
    };
  }, [since]);
  return interacted;
}

export function TokenCard() {
  const { expiresAt } = useAuth();
  const token = useAccessToken();
  const claims = useMemo(() => (token ? decodeJwtPayload(token) : null), [token]);
  const now = useNow(500);
  const interacted = useInteractedSince(expiresAt);

  const lifetimeMs =
    typeof claims?.exp === 'number' && typeof claims.iat === 'number'
      ? (claims.exp - claims.iat) * 1000
      : null;
  const receivedAt = expiresAt !== null && lifetimeMs !== null ? expiresAt - lifetimeMs : null;
  const refreshAt = receivedAt !== null && lifetimeMs !== null ? receivedAt + lifetimeMs * REFRESH_AT : null;
  const due = refreshAt !== null && now >= refreshAt;

  return (
    <article className="card" aria-labelledby="token-title">
      <header className="card-head">
        <h2 id="token-title">Access token</h2>
        <span className="badge">keepSessionAlive</span>
      </header>

      <div className="countdown">
        <div>
          <p className="countdown-label">Next background refresh in</p>
          <p className="countdown-value">
            <strong id="countdown">
              {refreshAt === null ? '–' : due ? 'now' : formatDuration(refreshAt - now)}
            </strong>
          </p>
        </div>
        <p className="countdown-note">
          at about 80 % of the lifetime, with jitter; one tab refreshes for all of them
        </p>
      </div>
      {lifetimeMs !== null && receivedAt !== null && (
        <>
          <progress
            className="lifetime"
            max={lifetimeMs}
            value={Math.min(lifetimeMs, Math.max(0, now - receivedAt))}
            aria-label="Part of the token's lifetime used"
          />
          <div className="lifetime-scale" aria-hidden="true">
            <span>issued {formatClock(receivedAt)}</span>
            <span>expires {formatClock(receivedAt + lifetimeMs)}</span>
          </div>
        </>
      )}

      <dl className="facts">
        <div>
          <dt>Lifetime</dt>
          <dd>
            <span id="ttl">{lifetimeMs === null ? '–' : lifetimeMs / 1000}</span> s
          </dd>
        </div>
        <div>
          <dt>Expires at</dt>
          <dd id="expires-at">{expiresAt === null ? '–' : formatClock(expiresAt)}</dd>
        </div>
        <div>
          <dt>You interacted since</dt>
          <dd>
            <strong id="activity" className={interacted ? 'yes' : 'no'}>
              {interacted ? 'yes' : 'no'}
            </strong>
          </dd>
        </div>
      </dl>
      <p className="fine">
        Only interaction moves the idle clock. The next refresh tells the server{' '}
        {interacted ? (
          <code>active: true</code>
        ) : (
          <>
            <code>active: false</code>, unless you use this page (in any tab) before then
          </>
        )}
        .
      </p>

      <details className="claims" open>
        <summary>Decoded claims</summary>
        <pre id="claims">{claims ? JSON.stringify(claims, null, 2) : ''}</pre>
      </details>
      <p className="fine">Decoded here for display only; your API verifies the signature against the JWKS.</p>
    </article>
  );
}
