import { describe, expect, it } from 'vitest';
import { AUTHORIZE_ERROR_CODES, TOKEN_ERROR_STATUS } from './errors.js';

describe('TOKEN_ERROR_STATUS', () => {
  it('is 400 for every token error except invalid_client, which is 401 (RFC 6749 §5.2)', () => {
    for (const [code, status] of Object.entries(TOKEN_ERROR_STATUS))
      expect([code, status]).toEqual([code, code === 'invalid_client' ? 401 : 400]);
  });
});

describe('AUTHORIZE_ERROR_CODES', () => {
  it('holds the RFC 6749 §4.1.2.1 codes and no duplicates', () => {
    expect(AUTHORIZE_ERROR_CODES).toEqual(
      expect.arrayContaining(['invalid_request', 'unsupported_response_type']),
    );
    expect(new Set(AUTHORIZE_ERROR_CODES).size).toBe(AUTHORIZE_ERROR_CODES.length);
  });
});
