const REDACTED = '[redacted]';

/**
 * A configuration value that must never reach a log line or an error message: an admin key, the
 * master secret, a database or Redis URL that may carry a password. `JSON.stringify`, template
 * strings and `console.log`/`util.inspect` all print `[redacted]`; `reveal()` is the one explicit
 * way to the value.
 *
 * @example
 * const pool = new pg.Pool({ connectionString: config.database.url.reveal() });
 */
export class Redacted {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
    Object.freeze(this);
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return REDACTED;
  }

  toJSON(): string {
    return REDACTED;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return REDACTED;
  }
}
