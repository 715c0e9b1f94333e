/** The server's ID-token signer, for other packages' tests that play an issuer's part. */
export { signIdToken } from '../../server/src/tokens/id-token.js';
