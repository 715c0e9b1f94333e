/**
 * Escaping for the hosted-login pages. Every interpolated value goes through {@link escapeHtml},
 * by way of the {@link html} tag: a string is always escaped, and only markup that `html` itself
 * produced ({@link SafeHtml}) is inserted as is. There is deliberately no "raw" escape hatch.
 */

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  // Backtick: legacy IE treated it as an attribute quote; cheap to close for good.
  '`': '&#96;',
};

/**
 * Escapes text for HTML text content and for quoted attribute values.
 *
 * @example
 * escapeHtml(`"><img onerror=x>`) // '&quot;&gt;&lt;img onerror=x&gt;'
 */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"'`]/g, (char) => ENTITIES[char] ?? char);
}

/** Markup produced by {@link html}; the only kind of value inserted without escaping. */
export class SafeHtml {
  readonly #markup: string;

  constructor(markup: string, token: typeof CONSTRUCT) {
    if (token !== CONSTRUCT) throw new TypeError('SafeHtml is created by the html tag only.');
    this.#markup = markup;
  }

  toString(): string {
    return this.#markup;
  }
}

const CONSTRUCT: unique symbol = Symbol('SafeHtml');

/** What may be interpolated: text (escaped), markup from `html`, or nothing. */
export type HtmlValue = string | number | SafeHtml | readonly HtmlValue[] | false | null | undefined;

function render(value: HtmlValue): string {
  if (value === false || value === null || value === undefined) return '';
  if (value instanceof SafeHtml) return value.toString();
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(String(value));
}

/**
 * Tagged template that escapes every interpolation unless it is itself `html` output.
 *
 * @example
 * html`<p>${userInput}</p>` // userInput is escaped
 */
export function html(strings: TemplateStringsArray, ...values: readonly HtmlValue[]): SafeHtml {
  let markup = strings[0] ?? '';
  values.forEach((value, index) => {
    markup += render(value) + (strings[index + 1] ?? '');
  });
  return new SafeHtml(markup, CONSTRUCT);
}
