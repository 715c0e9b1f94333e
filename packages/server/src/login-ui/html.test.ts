import { describe, expect, it } from 'vitest';
import { escapeHtml, html, SafeHtml } from './html.js';

describe('escapeHtml', () => {
  it.each([
    ['&', '&amp;'],
    ['<', '&lt;'],
    ['>', '&gt;'],
    ['"', '&quot;'],
    ["'", '&#39;'],
    ['`', '&#96;'],
  ])('escapes %s', (input, expected) => {
    expect(escapeHtml(input)).toBe(expected);
  });

  it('escapes an attribute breakout and leaves other text alone', () => {
    expect(escapeHtml(`"><img src=x onerror=alert(1)>`)).toBe('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(escapeHtml('Zoë 🔐 {{x}} \r\n')).toBe('Zoë 🔐 {{x}} \r\n');
  });

  it('escapes an ampersand once, so text that looks escaped stays text', () => {
    expect(escapeHtml('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });
});

describe('html', () => {
  it('escapes strings and numbers, keeps nested html, drops false, null and undefined', () => {
    const inner = html`<b>${'<i>'}</b>`;
    expect(html`<p>${'<x>'}${1}${inner}${false}${null}${undefined}</p>`.toString()).toBe(
      '<p>&lt;x&gt;1<b>&lt;i&gt;</b></p>',
    );
  });

  it('escapes every element of an array', () => {
    expect(html`${['<a>', html`<br>`]}`.toString()).toBe('&lt;a&gt;<br>');
  });

  it('cannot be bypassed by constructing SafeHtml directly', () => {
    const Forged = SafeHtml as unknown as new (markup: string, token: symbol) => SafeHtml;
    expect(() => new Forged('<script>', Symbol('SafeHtml'))).toThrow(TypeError);
  });
});
