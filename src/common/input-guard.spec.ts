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
const runQuery = (query: Record<string, unknown>): string | undefined => {
  let passed: unknown = 'not called';
  const req = { body: undefined, originalUrl: '/api/v1/x?q', query: Object.assign(Object.create(null), query) } as unknown as Request;
  inputGuard()(req, {} as Response, (err?: unknown) => {
    passed = err;
  });
  return passed === undefined ? undefined : (passed as BadRequestException).message;
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

  it('refuses a __proto__ key at any depth, naming where it is', () => {
    expect(run(JSON.parse('{"name":"x","__proto__":{"role":"admin"}}'))).toBe('__proto__: is not an allowed field');
    expect(run(JSON.parse('{"a":[{"__proto__":{}}]}'))).toBe('a[0].__proto__: is not an allowed field');
  });

  it('refuses every inherited member name as a field, as any unknown field', () => {
    for (const name of ['constructor', 'prototype', 'toString', 'hasOwnProperty', 'valueOf']) {
      expect(run(JSON.parse(`{"name":"x","${name}":1}`))).toBe(`${name}: is not an allowed field`);
    }
    expect(run(JSON.parse('{"document":{"tracking":{"constructor":{}}}}'))).toBe('document.tracking.constructor: is not an allowed field');
  });

  it('lets the same names through as values and inside longer names', () => {
    expect(run({ name: 'constructor', aliases: ['__proto__', 'prototype'], constructorName: 'x' })).toBeUndefined();
  });

  it('refuses a lone surrogate in any body string, naming the field', () => {
    expect(run(JSON.parse('{"name":"x\\ud800"}'))).toBe('name: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    expect(run(JSON.parse('{"aliases":["ok","\\udc00x"]}'))).toBe('aliases[1]: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    expect(run(JSON.parse('{"document":{"title":"a\\ud800b"}}'))).toBe('document.title: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    expect(run(JSON.parse('{"x\\ud800":1}'))).toBe('body: has a field name that is not valid Unicode');
    expect(run('a,b\ud800')).toBe('body: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
  });

  it('keeps surrogate pairs (emoji, CJK extension B) as the characters they are', () => {
    expect(run({ name: 'Pump \ud83d\ude00 \ud840\udc00' })).toBeUndefined();
  });

  it('refuses a lone surrogate or an inherited name in the query', () => {
    expect(runQuery({ q: 'x\ud800' })).toBe('q: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    expect(runQuery({ q: ['ok', '\udfff'] })).toBe('q: must be valid Unicode text (it contains a lone UTF-16 surrogate)');
    expect(runQuery({ constructor: 'x' })).toBe('constructor: is not an allowed field');
    expect(runQuery({ q: 'ok', limit: '5' })).toBeUndefined();
  });
});
