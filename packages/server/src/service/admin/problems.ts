import { TesseraError } from '../../errors.js';

/**
 * Answers every validation problem of a request at once, as one `400 invalid_request`. Problems
 * name fields and rules, never the submitted values.
 */
export function assertNoProblems(problems: readonly string[]): void {
  if (problems.length > 0) {
    throw new TesseraError('invalid_request', { message: `Invalid request: ${problems.join(' ')}` });
  }
}
