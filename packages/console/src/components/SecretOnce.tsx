/** A secret the server shows once (client secret, webhook signing secret), with a copy button. */
import { useState } from 'react';

export function SecretOnce({ label, secret }: { label: string; secret: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(secret);
      setCopied(true);
      window.setTimeout(() => setCopied(false), 2500);
    } catch {
      setCopied(false);
    }
  };
  return (
    <div className="secret">
      <p className="callout callout-warning" role="note">
        <strong>Copy this {label.toLowerCase()} now.</strong> It is shown only once; the console cannot show
        it again. Store it in your application's secret store.
      </p>
      <div className="secret-row">
        <code className="secret-value">{secret}</code>
        <button type="button" className="button" onClick={copy}>
          {copied ? 'Copied' : 'Copy'}
        </button>
      </div>
      <span className="sr-only" aria-live="polite">
        {copied ? `${label} copied to the clipboard` : ''}
      </span>
    </div>
  );
}
