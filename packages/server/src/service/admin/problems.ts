import { TesseraError } from '../../errors.js';

// A problem starts with the field it is about, relative to the body: `redirectUris[0] must …`,
// `tokenSettings.cookie.name is …`, `password: …`.
const LEADING_FIELD = /^([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\])*)/;

/**
 * Answers every validation problem of a request at once, as one `400 invalid_request` whose
 * `field` is the first problem's (a JSON Pointer into the body). Problems name fields and rules,
 * never the submitted values.
 */
export function assertNoProblems(problems: readonly string[]): void {
  const [first] = problems;
  if (first === undefined) return;
  const field = LEADING_FIELD.exec(first)?.[1];
  throw new TesseraError('invalid_request', {
    message: `Invalid request: ${problems.join(' ')}`,
    ...(field !== undefined && { field: fieldPointer(field) }),
  });
}

/** `redirectUris[0]` → `/redirectUris/0`; `tokenSettings.cookie.name` → `/tokenSettings/cookie/name`. */
export function fieldPointer(path: string): string {
  return `/${path
    .replace(/\[(\d+)\]/g, '.$1')
    .split('.')
    .join('/')}`;
}
