/** A configuration value parsed from its text, or what is wrong with the text. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; problem: string };
