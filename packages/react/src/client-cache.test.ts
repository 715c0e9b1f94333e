import { afterEach, describe, expect, it, vi } from 'vitest';
import { clientKey, getOrCreateClient, initClientOnce, retainClient } from './client-cache.js';
import { fakeClient, SIGNED_IN } from './fake-client.test-helpers.js';

const options = { baseUrl: 'https://auth.example.com', clientId: 'web' };
let keySeq = 0;
/** A key no other test has used: the cache is module state. */
const freshKey = () => `test-key-${keySeq++}`;

afterEach(() => {
  vi.useRealTimers();
});

describe('clientKey', () => {
  it('is equal for equal options, whatever the object identity or key order', () => {
    expect(
      clientKey({ ...options, authOptions: { keepSessionAlive: true, enableSessionPerTenant: true } }),
    ).toBe(clientKey({ authOptions: { enableSessionPerTenant: true, keepSessionAlive: true }, ...options }));
    expect(clientKey({ ...options, authOptions: { keepSessionAlive: undefined } })).toBe(
      clientKey({ ...options, authOptions: {} }),
    );
    expect(clientKey({ ...options, hostedLogin: false })).toBe(clientKey(options));
  });

  it('differs when any option differs', () => {
    const keys = [
      clientKey(options),
      clientKey({ ...options, clientId: 'other' }),
      clientKey({ ...options, baseUrl: 'https://auth.example.com/e/staging' }),
      clientKey({ ...options, hostedLogin: true }),
      clientKey({ ...options, redirectUri: 'https://app.example.com/callback' }),
      clientKey({ ...options, authOptions: { keepSessionAlive: true } }),
      clientKey({ ...options, authOptions: { keepSessionAlive: false } }),
      clientKey({ ...options, authOptions: { enableSessionPerTenant: true } }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('the client cache', () => {
  it('creates one client per key, however often it is asked (StrictMode renders twice)', () => {
    const key = freshKey();
    const create = vi.fn(() => fakeClient());
    const first = getOrCreateClient(key, create);
    expect(getOrCreateClient(key, create)).toBe(first);
    expect(create).toHaveBeenCalledTimes(1);
    expect(getOrCreateClient(freshKey(), create)).not.toBe(first);
  });

  it('survives a release followed by a retain in the same task (StrictMode remount)', () => {
    vi.useFakeTimers();
    const key = freshKey();
    const client = fakeClient();
    getOrCreateClient(key, () => client);
    const releaseFirst = retainClient(key, client);
    releaseFirst?.();
    const releaseSecond = retainClient(key, client);
    vi.runAllTimers();
    expect(client.calls.destroy).toBe(0);
    expect(getOrCreateClient(key, () => fakeClient())).toBe(client);

    releaseSecond?.();
    expect(client.calls.destroy).toBe(0);
    vi.runAllTimers();
    expect(client.calls.destroy).toBe(1);
    // Really unmounted: the next provider gets a new client.
    expect(getOrCreateClient(key, () => fakeClient())).not.toBe(client);
  });

  it('destroys only after the last of several users releases, and once', () => {
    vi.useFakeTimers();
    const key = freshKey();
    const client = fakeClient();
    getOrCreateClient(key, () => client);
    const releaseA = retainClient(key, client);
    const releaseB = retainClient(key, client);
    releaseA?.();
    releaseA?.();
    vi.runAllTimers();
    expect(client.calls.destroy).toBe(0);
    releaseB?.();
    vi.runAllTimers();
    expect(client.calls.destroy).toBe(1);
  });

  it('refuses to retain a client that is no longer the cached one, so the provider renders again', () => {
    vi.useFakeTimers();
    const key = freshKey();
    const client = fakeClient();
    expect(retainClient(key, client)).toBeNull();
    getOrCreateClient(key, () => client);
    retainClient(key, client)?.();
    vi.runAllTimers();
    expect(client.calls.destroy).toBe(1);
    // A render got `client` just before it was destroyed; its effect must not use it.
    expect(retainClient(key, client)).toBeNull();
    const next = getOrCreateClient(key, () => fakeClient());
    expect(retainClient(key, next)).toBeTypeOf('function');
  });
});

describe('initClientOnce', () => {
  it('calls init() once per client and hands out the same promise', async () => {
    const client = fakeClient(SIGNED_IN);
    const onError = vi.fn();
    const first = initClientOnce(client, onError);
    expect(initClientOnce(client, onError)).toBe(first);
    await expect(first).resolves.toBe(SIGNED_IN);
    expect(client.calls.init).toBe(1);
    expect(onError).not.toHaveBeenCalled();
  });

  it('reports a failed init() once, and resolves to null', async () => {
    const failure = new Error('invalid_callback');
    const client = fakeClient(undefined, () => Promise.reject(failure));
    const onError = vi.fn();
    await expect(initClientOnce(client, onError)).resolves.toBeNull();
    await expect(initClientOnce(client, onError)).resolves.toBeNull();
    expect(onError).toHaveBeenCalledTimes(1);
    expect(onError).toHaveBeenCalledWith(failure);
  });
});
