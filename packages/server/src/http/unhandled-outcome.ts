/**
 * The `default` of a route's `switch` over a use case's outcome. Because its argument is `never`,
 * an outcome kind that no `case` answers is a compile error at the route; at run time reaching it
 * is a programmer error, answered as a 500 (the outcome itself is not echoed: it may hold a token).
 *
 * @example
 * switch (outcome.kind) {
 *   case 'refreshed': return sendTokens(reply, outcome);
 *   case 'refused': throw new TesseraError(outcome.error);
 *   default: return unhandledOutcome(outcome);
 * }
 */
export function unhandledOutcome(outcome: never): never {
  void outcome;
  throw new Error('A use case returned an outcome that its route does not answer.');
}
