import { BadRequestException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';
import { hasLoneSurrogate } from './unicode';

/** Deeper than any document the API takes (a CSAF product tree nests about 12 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * Names every object inherits. No field of the API is called that, and class-transformer skips
 * them silently rather than letting the whitelist refuse them, so a body carrying `constructor`
 * would be accepted with the field ignored; `__proto__` is the prototype-pollution vector of every
 * merge or copy downstream.
 */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * What no route can take, refused once for all of them with a 400 that says why, before
 * validation runs:
 * - JSON nested deeper than MAX_JSON_DEPTH: JSON.parse copes with 10,000 levels, but the
 *   validation and transformation that follow recurse and overflow the stack (a 500);
 * - U+0000 in the query string or in any body string or key: PostgreSQL text cannot hold it,
 *   and the failed statement would surface as a 500;
 * - a lone UTF-16 surrogate (`"x\ud800"`) in any string or key of the body or the query: no
 *   character at all, and PostgreSQL refuses it too (an advisory's title reaches the audit log's
 *   jsonb, where it failed the whole write);
 * - a field named like an inherited member (`constructor`, `__proto__`, `prototype`...), at any
 *   depth, as any unknown field is refused.
 * The body is walked iteratively, so its depth cannot hurt the walk itself.
 */
export function inputGuard(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const query = req.originalUrl.indexOf('?');
    if (query >= 0 && /%00|\0/i.test(req.originalUrl.slice(query))) return next(new BadRequestException('query: must not contain NUL characters'));
    const problem = (query >= 0 ? queryProblem(req.query) : null) ?? bodyProblem(req.body, maxDepth);
    next(problem ? new BadRequestException({ message: problem, fields: [problem] }) : undefined);
  };
}

function queryProblem(query: unknown): string | null {
  if (query === null || typeof query !== 'object') return null;
  for (const [name, value] of Object.entries(query)) {
    if (INHERITED_NAMES.has(name)) return `${name}: is not an allowed field`;
    if (hasLoneSurrogate(name)) return 'query: has a parameter name that is not valid Unicode';
    const values = Array.isArray(value) ? value : [value];
    if (values.some((v) => typeof v === 'string' && hasLoneSurrogate(v))) return `${name}: ${NOT_UNICODE}`;
  }
  return null;
}

const NOT_UNICODE = 'must be valid Unicode text (it contains a lone UTF-16 surrogate)';

function bodyProblem(body: unknown, maxDepth: number): string | null {
  if (typeof body === 'string') {
    if (body.includes('\0')) return 'body: must not contain NUL characters';
    return hasLoneSurrogate(body) ? `body: ${NOT_UNICODE}` : null;
  }
  if (body === null || typeof body !== 'object') return null;
  const stack: Array<[unknown, number, string]> = [[body, 1, '']];
  while (stack.length > 0) {
    const [value, depth, path] = stack.pop()!;
    if (depth > maxDepth) return `body: is nested more than ${maxDepth} levels deep`;
    const isArray = Array.isArray(value);
    for (const [key, child] of Object.entries(value as object)) {
      const at = isArray ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      if (key.includes('\0') || (typeof child === 'string' && child.includes('\0'))) return 'body: must not contain NUL characters';
      if (!isArray && INHERITED_NAMES.has(key)) return `${at}: is not an allowed field`;
      if (hasLoneSurrogate(key)) return `${path || 'body'}: has a field name that is not valid Unicode`;
      if (typeof child === 'string' && hasLoneSurrogate(child)) return `${at}: ${NOT_UNICODE}`;
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1, at]);
    }
  }
  return null;
}
