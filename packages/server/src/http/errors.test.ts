import { describe, expect, it } from 'vitest';
import { isUnavailable } from './errors.js';

const withCode = (code: string) => Object.assign(new Error('x'), { code });

describe('isUnavailable: a dependency down is a 503, anything else is not (OPS-06)', () => {
  it.each([
    ['a refused connection', withCode('ECONNREFUSED')],
    ['a busy SQLite file', withCode('SQLITE_BUSY')],
    ['PostgreSQL shutting down (57P01)', withCode('57P01')],
    ['a PostgreSQL connection exception (08006)', withCode('08006')],
    ["pg's terminated connection", new Error('Connection terminated unexpectedly')],
    ["pg's pool timeout", new Error('timeout exceeded when trying to connect')],
    [
      'a query on a pg client whose backend was just killed',
      new Error('Client has encountered a connection error and is not queryable'),
    ],
    ['a query on a closed pg client', new Error('Client was closed and is not queryable')],
  ])('%s', (_name, error) => {
    expect(isUnavailable(error)).toBe(true);
  });

  it.each([
    ['a programming error', new TypeError('Cannot read properties of undefined')],
    ['a constraint violation (23505)', withCode('23505')],
    ['a message that only mentions a connection', new Error('the Client has encountered a connection error')],
    ['not an error', 'Connection terminated'],
    ['null', null],
  ])('%s is not', (_name, error) => {
    expect(isUnavailable(error)).toBe(false);
  });
});
