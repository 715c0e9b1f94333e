import { useEffect, useState } from 'react';
import { callExampleApi, forgetToken, rememberedToken } from './example-api';
import { formatDuration } from './format';
import { decodeJwtPayload } from './jwt';

/** How long to keep asking: the feed announces an ending within about a second. */
const GIVE_UP_AFTER_MS = 15_000;
const ASK_EVERY_MS = 200;

type Outcome =
  | { state: 'asking' }
  | { state: 'refused'; afterMs: number; status: number; error: string | null }
  | { state: 'accepted' }
  | { state: 'unreachable' };

/**
 * After the session ended: asks the example API with the last access token the projects card used,
 * until the API refuses it, and says how long that took and how long the token had left to live.
 */
export function RevocationCheck() {
  const [probe] = useState(() => {
    const remembered = rememberedToken();
    const exp = remembered ? decodeJwtPayload(remembered.token)?.exp : undefined;
    // An expired token is refused anyway: it would prove nothing.
    if (!remembered || typeof exp !== 'number' || exp * 1000 < Date.now() + 5000) return null;
    return { ...remembered, expiresAt: exp * 1000, endedAt: Date.now() };
  });
  const [outcome, setOutcome] = useState<Outcome>({ state: 'asking' });

  useEffect(() => {
    if (!probe) return;
    let live = true;
    void (async () => {
      while (live) {
        const answer = await callExampleApi(probe.apiUrl, probe.token, 'GET', '/me');
        if (!live) return;
        const afterMs = Date.now() - probe.endedAt;
        if (answer.status === 401) {
          setOutcome({ state: 'refused', afterMs, status: answer.status, error: answer.error });
          break;
        }
        if (answer.status === 0) {
          setOutcome({ state: 'unreachable' });
          break;
        }
        if (afterMs > GIVE_UP_AFTER_MS) {
          setOutcome({ state: 'accepted' });
          break;
        }
        await new Promise((done) => setTimeout(done, ASK_EVERY_MS));
      }
      forgetToken(probe.token);
    })();
    return () => {
      live = false;
    };
  }, [probe]);

  if (!probe) return null;
  const left = formatDuration(probe.expiresAt - probe.endedAt);
  return (
    <div id="revocation-check" className={`probe ${outcome.state}`} role="status" data-state={outcome.state}>
      <p className="probe-title">The example API and your last access token</p>
      {outcome.state === 'asking' && (
        <p>It has {left} left before it expires. Asking the example API with it until it refuses…</p>
      )}
      {outcome.state === 'refused' && (
        <p>
          <span className="status refused">
            {outcome.status} {outcome.error ?? ''}
          </span>{' '}
          Refused <strong id="revocation-latency">{(outcome.afterMs / 1000).toFixed(1)} s</strong> after the
          session ended, with {left} left before the token expired: the API heard of the sign-out on Tessera's
          revocation feed.
        </p>
      )}
      {outcome.state === 'accepted' && (
        <p>
          The example API still accepts the token after {GIVE_UP_AFTER_MS / 1000} s: is it following the
          revocation feed? Its <code>/healthz</code> says.
        </p>
      )}
      {outcome.state === 'unreachable' && <p>The example API could not be reached.</p>}
    </div>
  );
}
