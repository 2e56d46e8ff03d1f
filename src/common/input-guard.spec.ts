import { BadRequestException } from '@nestjs/common';
import { Request, Response } from 'express';
import { inputGuard } from './input-guard';

const run = (body: unknown, { max = 4, url = '/api/v1/x' } = {}): string | undefined => {
  let passed: unknown = 'not called';
  inputGuard(max)({ body, originalUrl: url } as Request, {} as Response, (err?: unknown) => {
    passed = err;
  });
  if (passed === undefined) return undefined;
  expect(passed).toBeInstanceOf(BadRequestException);
  return (passed as BadRequestException).message;
};
const nest = (levels: number): unknown => JSON.parse('['.repeat(levels) + ']'.repeat(levels));

describe('inputGuard', () => {
  it('lets ordinary bodies and queries through', () => {
    expect(run({ a: { b: { c: [1, 'x', null] } } })).toBeUndefined();
    expect(run('csv,text\n1,2')).toBeUndefined();
    expect(run(undefined, { url: '/api/v1/devices?q=SN-1&limit=5' })).toBeUndefined();
  });

  it('refuses a body one level deeper than the limit', () => {
    expect(run({ a: { b: { c: [[1]] } } })).toBe('body: is nested more than 4 levels deep');
  });

  it('measures 10,000 levels without overflowing the stack', () => {
    expect(run(nest(10_000), { max: 64 })).toBe('body: is nested more than 64 levels deep');
  });

  it('refuses NUL characters in body values, keys and text bodies, and in the query string', () => {
    expect(run({ name: 'a\u0000b' })).toBe('body: must not contain NUL characters');
    expect(run({ list: [{ 'k\u0000': 1 }] })).toBe('body: must not contain NUL characters');
    expect(run('a,b\u0000')).toBe('body: must not contain NUL characters');
    expect(run(undefined, { url: '/api/v1/devices?q=a%00b' })).toBe('query: must not contain NUL characters');
  });

  it('refuses a __proto__ key at any depth', () => {
    expect(run(JSON.parse('{"name":"x","__proto__":{"role":"admin"}}'))).toBe('body: __proto__ is not an allowed field');
    expect(run(JSON.parse('{"a":[{"__proto__":{}}]}'))).toBe('body: __proto__ is not an allowed field');
  });
});
