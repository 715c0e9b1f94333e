import { describe, expect, it } from 'vitest';
import { renderErrorPage } from './error-page.js';
import { LOGIN_ERROR_MESSAGES, type LoginPageError, renderLoginPage } from './login-page.js';
import { BRANDING, tags, tagsNamed } from './login-ui.test-helpers.js';
import { renderLogoutConfirmation } from './logout-confirmation.js';
import { LOGIN_STYLESHEET, LOGIN_STYLESHEET_HREF } from './stylesheet.js';
import { renderTenantPicker } from './tenant-picker.js';

const base = { branding: BRANDING, action: '/oauth/login', csrfToken: 'csrf-123', interactionId: 'int-456' };
const ERRORS: LoginPageError[] = [
  'invalid_credentials',
  'rate_limited',
  'user_disabled',
  'max_sessions_reached',
  'generic',
];

const PAGES: [string, string][] = [
  ['login', renderLoginPage(base)],
  ...ERRORS.map((error): [string, string] => [
    `login (${error})`,
    renderLoginPage({ ...base, error, email: 'ada@example.com' }),
  ]),
  [
    'tenant picker',
    renderTenantPicker({
      ...base,
      action: '/oauth/tenant',
      tenants: [
        { id: 't1', name: 'Acme' },
        { id: 't2', name: 'Globex' },
      ],
    }),
  ],
  ['error', renderErrorPage({ title: 'Invalid request', message: 'The request is not valid.' })],
  ['error (branded)', renderErrorPage({ branding: BRANDING, title: 'Invalid request', message: 'No.' })],
  [
    'logout',
    renderLogoutConfirmation({
      branding: BRANDING,
      action: '/oauth/logout',
      csrfToken: 'c',
      clientName: 'App',
    }),
  ],
];

describe.each(PAGES)('every page: %s', (_name, doc) => {
  it('is a complete English document with a viewport and one main landmark', () => {
    expect(doc.startsWith('<!doctype html>\n<html lang="en">')).toBe(true);
    expect(doc).toContain('<meta name="viewport" content="width=device-width, initial-scale=1">');
    expect(doc).toContain('<meta charset="utf-8">');
    expect(tagsNamed(doc, 'main')).toHaveLength(1);
    expect(tagsNamed(doc, 'h1')).toHaveLength(1);
    expect(doc.trimEnd().endsWith('</html>')).toBe(true);
  });

  it('fits the CSP: no script, no inline style, no event handlers', () => {
    expect(doc).not.toMatch(/<script/i);
    expect(doc).not.toMatch(/style=/i);
    expect(doc).not.toMatch(/<style/i);
    expect(doc).not.toMatch(/javascript:/i);
    for (const tag of tags(doc)) {
      expect([...tag.attributes.keys()].filter((name) => name.startsWith('on'))).toEqual([]);
    }
  });

  it('links the static stylesheet by its hashed URL and shows the footer', () => {
    expect(doc).toContain(`<link rel="stylesheet" href="${LOGIN_STYLESHEET_HREF}">`);
    expect(doc).toContain('<footer class="footer">Secured by Tessera</footer>');
  });

  it('posts every form, with the CSRF token', () => {
    for (const form of tagsNamed(doc, 'form')) expect(form.attributes.get('method')).toBe('post');
    if (tagsNamed(doc, 'form').length > 0)
      expect(doc).toMatch(/<input type="hidden" name="csrf_token" value="/);
  });

  it('binds every label to an input by for/id, and ids are unique', () => {
    const ids = tags(doc).flatMap((tag) => tag.attributes.get('id') ?? []);
    expect(new Set(ids).size).toBe(ids.length);
    for (const label of tagsNamed(doc, 'label')) {
      const target = label.attributes.get('for');
      expect(tagsNamed(doc, 'input').some((input) => input.attributes.get('id') === target)).toBe(true);
    }
  });

  it('uses only classes that the stylesheet defines', () => {
    for (const tag of tags(doc)) {
      for (const name of (tag.attributes.get('class') ?? '').split(' ').filter(Boolean)) {
        expect(LOGIN_STYLESHEET).toMatch(new RegExp(`\\.${name}[\\s,:{]`));
      }
    }
  });
});

describe('renderLoginPage', () => {
  const doc = renderLoginPage(base);

  it('has email and password with visible labels, autocomplete, and a submit button', () => {
    expect(doc).toContain('<label for="email">Email</label>');
    expect(doc).toContain('<label for="password">Password</label>');
    const [email, password] = tagsNamed(doc, 'input').filter(
      (input) => input.attributes.get('type') !== 'hidden',
    );
    expect(email?.attributes.get('type')).toBe('email');
    expect(email?.attributes.get('autocomplete')).toBe('username');
    expect(password?.attributes.get('type')).toBe('password');
    expect(password?.attributes.get('autocomplete')).toBe('current-password');
    expect(doc).toContain('<button class="button" type="submit">Sign in</button>');
  });

  it('posts to the action with the CSRF token and the interaction id, in focus order', () => {
    const form = tagsNamed(doc, 'form')[0];
    expect(form?.attributes.get('action')).toBe('/oauth/login');
    expect(doc).toContain('<input type="hidden" name="csrf_token" value="csrf-123">');
    expect(doc).toContain('<input type="hidden" name="interaction_id" value="int-456">');
    const order = tags(doc)
      .filter(
        (tag) => (tag.name === 'input' && tag.attributes.get('type') !== 'hidden') || tag.name === 'button',
      )
      .map((tag) => tag.attributes.get('id') ?? tag.name);
    expect(order).toEqual(['email', 'password', 'button']);
  });

  it('has no error region and no aria-describedby without an error, and focuses the email', () => {
    expect(doc).not.toContain('role="alert"');
    expect(doc).not.toContain('aria-describedby');
    expect(
      tagsNamed(doc, 'input')
        .find((i) => i.attributes.get('id') === 'email')
        ?.attributes.has('autofocus'),
    ).toBe(true);
  });

  it.each(ERRORS)('announces %s in an alert that both fields point to', (error) => {
    const page = renderLoginPage({ ...base, error, email: 'ada@example.com' });
    const alert = tags(page).find((tag) => tag.attributes.get('role') === 'alert');
    expect(alert?.attributes.get('id')).toBe('login-error');
    expect(page).toContain(`role="alert">${LOGIN_ERROR_MESSAGES[error]}</div>`);
    for (const id of ['email', 'password']) {
      const input = tagsNamed(page, 'input').find((i) => i.attributes.get('id') === id);
      expect(input?.attributes.get('aria-describedby')).toBe('login-error');
    }
  });

  it('prefills the email after an error and moves focus to the password', () => {
    const page = renderLoginPage({ ...base, error: 'invalid_credentials', email: 'ada@example.com' });
    const inputs = tagsNamed(page, 'input');
    const email = inputs.find((i) => i.attributes.get('id') === 'email');
    expect(email?.attributes.get('value')).toBe('ada@example.com');
    expect(email?.attributes.has('autofocus')).toBe(false);
    expect(email?.attributes.get('aria-invalid')).toBe('true');
    expect(inputs.find((i) => i.attributes.get('id') === 'password')?.attributes.has('autofocus')).toBe(true);
    expect(inputs.find((i) => i.attributes.get('id') === 'password')?.attributes.has('value')).toBe(false);
  });

  it('says the same thing for a wrong password and a disabled account, and never hints at existence', () => {
    expect(LOGIN_ERROR_MESSAGES.user_disabled).toBe(LOGIN_ERROR_MESSAGES.invalid_credentials);
    expect(renderLoginPage({ ...base, error: 'user_disabled', email: 'a@b.c' })).toBe(
      renderLoginPage({ ...base, error: 'invalid_credentials', email: 'a@b.c' }),
    );
    for (const message of Object.values(LOGIN_ERROR_MESSAGES)) {
      expect(message).not.toMatch(/exist|not found|unknown|no account|disabled|registered/i);
    }
  });
});

describe('branding', () => {
  it('shows an https logo, decorative, without leaking the referrer', () => {
    const img = tagsNamed(renderLoginPage(base), 'img');
    expect(img).toHaveLength(1);
    expect(img[0]?.attributes.get('src')).toBe(BRANDING.logoUrl);
    expect(img[0]?.attributes.get('alt')).toBe('');
    expect(img[0]?.attributes.get('referrerpolicy')).toBe('no-referrer');
  });

  it.each([
    'http://cdn.example.com/logo.png',
    'javascript:alert(1)',
    'JAVASCRIPT:alert(1)',
    'data:image/png;base64,AAAA',
    '/logo.png',
  ])('drops the logo %s and shows the initial instead', (logoUrl) => {
    const doc = renderLoginPage({ ...base, branding: { ...BRANDING, logoUrl } });
    expect(tagsNamed(doc, 'img')).toHaveLength(0);
    expect(doc).not.toContain(logoUrl);
    expect(doc).toContain('<span class="brand-mark" aria-hidden="true">A</span>');
  });

  it('links the brand stylesheet only for a valid colour', () => {
    const linked = (primaryColor: string | undefined) =>
      tagsNamed(renderLoginPage({ ...base, branding: { name: 'Acme', primaryColor } }), 'link')
        .filter((l) => l.attributes.get('rel') === 'stylesheet')
        .map((l) => l.attributes.get('href'));
    expect(linked('#0e7490')[1]).toMatch(/^\/oauth\/assets\/brand\.css\?c=0e7490&amp;v=[0-9a-f]{12}$/);
    expect(linked(undefined)).toEqual([LOGIN_STYLESHEET_HREF]);
    expect(linked('red')).toEqual([LOGIN_STYLESHEET_HREF]);
  });

  it('asks the browser for no favicon (an empty data: icon), so no page logs a 404', () => {
    const icons = tagsNamed(renderLoginPage(base), 'link').filter((l) => l.attributes.get('rel') === 'icon');
    expect(icons.map((l) => l.attributes.get('href'))).toEqual(['data:,']);
  });

  it('brands the error page "Tessera" when the environment is unknown', () => {
    expect(renderErrorPage({ title: 'T', message: 'M' })).toContain(
      '<span class="brand-name">Tessera</span>',
    );
  });
});

describe('renderTenantPicker', () => {
  it('posts one tenant_id button per tenant, in order', () => {
    const doc = renderTenantPicker({
      ...base,
      tenants: [
        { id: 't1', name: 'Acme' },
        { id: 't2', name: 'Globex' },
      ],
    });
    const buttons = tagsNamed(doc, 'button');
    expect(
      buttons.map((b) => [b.attributes.get('type'), b.attributes.get('name'), b.attributes.get('value')]),
    ).toEqual([
      ['submit', 'tenant_id', 't1'],
      ['submit', 'tenant_id', 't2'],
    ]);
    expect(doc).toContain('value="t1">Acme</button>');
    expect(doc).toContain('<input type="hidden" name="interaction_id" value="int-456">');
  });

  it('says so when there is nothing to choose', () => {
    const doc = renderTenantPicker({ ...base, tenants: [] });
    expect(tagsNamed(doc, 'button')).toHaveLength(0);
    expect(doc).toContain('There is no organization to choose.');
  });
});

describe('renderLogoutConfirmation', () => {
  it('asks before signing out, with a POST form and no interaction id', () => {
    const doc = renderLogoutConfirmation({
      branding: BRANDING,
      action: '/oauth/logout?client_id=app',
      csrfToken: 'c1',
      clientName: 'Acme Dashboard',
    });
    expect(doc).toContain('<h1>Sign out of Acme Dashboard?</h1>');
    expect(doc).toContain('<title>Sign out of Acme Dashboard? · Acme</title>');
    expect(tagsNamed(doc, 'form')[0]?.attributes.get('action')).toBe('/oauth/logout?client_id=app');
    expect(doc).toContain('<input type="hidden" name="csrf_token" value="c1">');
    expect(doc).not.toContain('interaction_id');
    expect(doc).toContain('<button class="button" type="submit">Sign out</button>');
  });
});

describe('renderErrorPage', () => {
  it('shows the title and message and offers no way back', () => {
    const doc = renderErrorPage({ title: 'Invalid request', message: 'The request is not valid.' });
    expect(doc).toContain('<h1>Invalid request</h1>');
    expect(doc).toContain('The request is not valid.');
    expect(tagsNamed(doc, 'a')).toHaveLength(0);
    expect(tagsNamed(doc, 'form')).toHaveLength(0);
    expect(doc).not.toMatch(/http-equiv/i);
  });
});
