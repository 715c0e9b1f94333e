/**
 * Access-token signing: Tessera's direct node:crypto signer (`signAccessToken`) against jose's
 * `SignJWT`, one sequential stream (one request at a time), per algorithm.
 *
 * Run:  node --conditions=source --import tsx bench/sign.mjs      (BENCH_MS=2000 per case by default)
 *
 * Measured on the shared dev VM: 2 cores (AMD EPYC, `os.cpus()`), linux x64, node v20.20.2,
 * jose 6.2.18, load average ≈ 0.9 from other work. Two runs, 2 s per case; ops/s is wall clock
 * for one stream, CPU µs/op counts every thread (jose signs through WebCrypto on the thread pool).
 * The synchronous signer is awaited too, which only handicaps it.
 *
 *   alg    signer                          ops/s (run 1 / run 2)   CPU µs/op
 *   ES256  node:crypto (signAccessToken)   33 031 / 31 208           31–33
 *   ES256  jose SignJWT, CryptoKey          8 353 /  7 148          115–133
 *   ES256  jose SignJWT, KeyObject          6 223 /  6 949          136–150
 *   EdDSA  node:crypto (signAccessToken)   22 688 / 22 761           45
 *   EdDSA  jose SignJWT, CryptoKey          7 101 /  6 614          137–146
 *   EdDSA  jose SignJWT, KeyObject          6 602 /  7 038          139–146
 *   RS256  node:crypto (signAccessToken)      545 /    551         1810–1824
 *   RS256  jose SignJWT, CryptoKey            494 /    438         2033–2292
 *   RS256  jose SignJWT, KeyObject            479 /    451         2084–2227
 *
 * node:crypto is 3.9–4.4x jose for ES256, 3.2–3.4x for EdDSA, 1.1–1.3x for RS256 (where the RSA
 * private-key operation dominates). Hence `tokens/access-token.ts` signs with node:crypto; jose
 * stays the verifier in tests and in `@tessera/node`.
 */
import os from 'node:os';
import { importJWK, jwtVerify, SignJWT } from 'jose';
import { generateSigningKey } from '../packages/server/src/keys/key-material.ts';
import { signAccessToken } from '../packages/server/src/tokens/access-token.ts';

const DURATION_MS = Number(process.env.BENCH_MS ?? 2000);
const WARMUP_MS = 300;
const NOW = Math.floor(Date.now() / 1000);

const claims = {
  iss: 'https://auth.example.com',
  aud: 'app',
  sub: 'usr_8f3c2a9d1e',
  sid: 'ses_5b7e0c4f2a',
  tenantId: 'acme',
  tenantIds: ['acme', 'globex'],
  roles: ['admin'],
  permissions: ['invoices:read', 'invoices:write', 'members:manage'],
  email: 'ada@example.com',
  name: 'Ada Lovelace',
  auth_time: NOW - 60,
  iat: NOW,
  exp: NOW + 300,
  jti: 'Qm9vdHN0cmFwcGVkLWp0aQ',
  client_id: 'app',
};

/** Runs `operation` back to back for DURATION_MS; returns ops/s (wall clock) and CPU µs per op (all threads). */
async function measure(operation) {
  const warmupEnd = performance.now() + WARMUP_MS;
  while (performance.now() < warmupEnd) await operation();
  let count = 0;
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const end = start + DURATION_MS;
  while (performance.now() < end) {
    await operation();
    count += 1;
  }
  const elapsedMs = performance.now() - start;
  const cpu = process.cpuUsage(cpuStart);
  return { opsPerSecond: (count / elapsedMs) * 1000, cpuMicrosPerOp: (cpu.user + cpu.system) / count };
}

async function assertVerifies(token, key) {
  const publicKey = await importJWK(key.publicJwk, key.alg);
  const { protectedHeader } = await jwtVerify(token, publicKey, { typ: 'at+jwt', algorithms: [key.alg] });
  if (protectedHeader.kid !== key.kid) throw new Error(`${key.alg}: wrong kid`);
}

const cpus = os.cpus();
console.log(
  `node ${process.version}, ${os.platform()} ${os.arch()}, ${cpus.length} cores, ${cpus[0]?.model ?? '?'}`,
);
console.log(`${DURATION_MS} ms per case, one sequential stream\n`);
console.log('alg     signer                         ops/s    CPU µs/op');

for (const alg of ['ES256', 'EdDSA', 'RS256']) {
  const key = await generateSigningKey(alg, NOW);
  const cryptoKey = await importJWK({ ...key.privateKey.export({ format: 'jwk' }), alg }, alg);
  const header = { alg, kid: key.kid, typ: 'at+jwt' };
  const cases = {
    'node:crypto (signAccessToken)': () => signAccessToken(key, claims),
    'jose SignJWT, CryptoKey': () => new SignJWT(claims).setProtectedHeader(header).sign(cryptoKey),
    'jose SignJWT, KeyObject': () => new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey),
  };
  const results = {};
  for (const [name, operation] of Object.entries(cases)) {
    await assertVerifies(await operation(), key);
    results[name] = await measure(operation);
    const { opsPerSecond, cpuMicrosPerOp } = results[name];
    console.log(
      `${alg.padEnd(7)} ${name.padEnd(30)} ${opsPerSecond.toFixed(0).padStart(6)}   ${cpuMicrosPerOp.toFixed(1).padStart(8)}`,
    );
  }
  const ours = results['node:crypto (signAccessToken)'].opsPerSecond;
  const jose = results['jose SignJWT, CryptoKey'].opsPerSecond;
  console.log(`${alg.padEnd(7)} node:crypto / jose (CryptoKey) = ${(ours / jose).toFixed(2)}x\n`);
}
