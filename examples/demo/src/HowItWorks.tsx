const FEATURES = [
  {
    title: 'Tab per tenant',
    option: 'enableSessionPerTenant',
    text: 'Each tab keeps its tenant in sessionStorage, namespaced by client id, and asks for it on every refresh. One refresh cookie serves every tab; no "active tenant" leaks from one tab to another.',
  },
  {
    title: 'Silent refresh',
    option: 'on by default',
    text: 'On page load the SDK restores the session from the httpOnly refresh cookie: no redirect and no flash of a sign-in form. Reload this page to see it.',
  },
  {
    title: 'Keep the session alive',
    option: 'keepSessionAlive',
    text: 'The token is refreshed in the background at about 80 % of its lifetime, by one tab for all of them (Web Locks), and again when a tab wakes from sleep or comes back online. Network errors, 429 and 5xx are retried; the session is kept.',
  },
  {
    title: 'Idle timeout',
    option: 'idleTimeoutSeconds',
    text: 'Ends the session after a time without user activity. Refreshes say whether you interacted, so a background refresh keeps the token fresh without keeping an idle session alive. Globex sets 15 minutes in this demo.',
  },
  {
    title: 'Forced re-login',
    option: 'absoluteTimeoutSeconds',
    text: 'Ends the session a fixed time after sign-in, whatever happens. For a user in several tenants the strictest value applies.',
  },
  {
    title: 'Maximum sessions',
    option: 'maxConcurrentSessions',
    text: 'Limits how many browsers a user is signed in on: a new sign-in evicts the least recently active session, or is refused. Atomic across server nodes.',
  },
];

export function HowItWorks() {
  return (
    <section className="how" aria-labelledby="how-title">
      <h2 id="how-title">What this demo shows</h2>
      <p className="muted">
        The last three are session policies, set per environment through the admin API and overridable per
        tenant (<code>PATCH /admin/v1/environments/default</code> with a <code>sessionPolicy</code>); the
        server checks them on every refresh.
      </p>
      <ul className="features">
        {FEATURES.map((feature) => (
          <li key={feature.title} className="feature">
            <h3>{feature.title}</h3>
            <code className="option">{feature.option}</code>
            <p>{feature.text}</p>
          </li>
        ))}
      </ul>
    </section>
  );
}
