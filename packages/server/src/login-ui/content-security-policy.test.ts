import { describe, expect, it } from 'vitest';
import { LOGIN_CONTENT_SECURITY_POLICY, loginContentSecurityPolicy } from './content-security-policy.js';

function directives(policy: string): Map<string, string> {
  return new Map(
    policy.split('; ').map((directive) => {
      const [name = '', ...values] = directive.split(' ');
      return [name, values.join(' ')];
    }),
  );
}

describe('LOGIN_CONTENT_SECURITY_POLICY', () => {
  it('allows no script, styles from self only, and no framing', () => {
    const policy = directives(LOGIN_CONTENT_SECURITY_POLICY);
    expect(policy.get('default-src')).toBe("'none'");
    expect(policy.has('script-src')).toBe(false);
    expect(policy.get('style-src')).toBe("'self'");
    expect(policy.get('img-src')).toBe("'self' https: data:");
    expect(policy.get('form-action')).toBe("'self'");
    expect(policy.get('frame-ancestors')).toBe("'none'");
    expect(policy.get('base-uri')).toBe("'none'");
    expect(policy.get('object-src')).toBe("'none'");
  });
});

describe('loginContentSecurityPolicy', () => {
  it('is the base policy without targets', () => {
    expect(loginContentSecurityPolicy()).toBe(LOGIN_CONTENT_SECURITY_POLICY);
    expect(loginContentSecurityPolicy({ redirectTargets: [] })).toBe(LOGIN_CONTENT_SECURITY_POLICY);
  });

  it('adds each redirect target origin, once, to form-action only', () => {
    const policy = loginContentSecurityPolicy({
      redirectTargets: [
        'https://App.example.com/callback?x=1',
        'https://app.example.com/other',
        'http://localhost:3000/cb',
        'https://[::1]:8443/cb',
      ],
    });
    expect(directives(policy).get('form-action')).toBe(
      "'self' https://app.example.com http://localhost:3000 https://[::1]:8443",
    );
    expect(policy.replace(/form-action [^;]*;/, "form-action 'self';")).toBe(LOGIN_CONTENT_SECURITY_POLICY);
  });

  it.each([
    "https://a.example;script-src 'unsafe-inline'.com/cb",
    "https://a'.example/cb",
    'https://a,b.example/cb',
    'com.example.app:/callback',
    'javascript:alert(1)',
    'not a url',
  ])('ignores %j, which could not be a safe source expression', (target) => {
    expect(loginContentSecurityPolicy({ redirectTargets: [target] })).toBe(LOGIN_CONTENT_SECURITY_POLICY);
  });
});
