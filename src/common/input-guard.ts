import { BadRequestException } from '@nestjs/common';
import { NextFunction, Request, Response } from 'express';

/** Deeper than any document the API takes (a CSAF product tree nests about 12 levels). */
export const MAX_JSON_DEPTH = 64;

/**
 * What no route can take, refused once for all of them with a 400 that says why, before
 * validation runs:
 * - JSON nested deeper than MAX_JSON_DEPTH: JSON.parse copes with 10,000 levels, but the
 *   validation and transformation that follow recurse and overflow the stack (a 500);
 * - U+0000 in the query string or in any body string or key: PostgreSQL text cannot hold it,
 *   and the failed statement would surface as a 500;
 * - a `__proto__` key: nothing in the API is called that, and it is the prototype-pollution
 *   vector of every merge or copy downstream.
 * The body is walked iteratively, so its depth cannot hurt the walk itself.
 */
export function inputGuard(maxDepth = MAX_JSON_DEPTH) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    const query = req.originalUrl.indexOf('?');
    if (query >= 0 && /%00|\0/i.test(req.originalUrl.slice(query))) return next(new BadRequestException('query: must not contain NUL characters'));
    const problem = bodyProblem(req.body, maxDepth);
    next(problem ? new BadRequestException(`body: ${problem}`) : undefined);
  };
}

function bodyProblem(body: unknown, maxDepth: number): string | null {
  if (typeof body === 'string') return body.includes('\0') ? 'must not contain NUL characters' : null;
  if (body === null || typeof body !== 'object') return null;
  const stack: Array<[unknown, number]> = [[body, 1]];
  while (stack.length > 0) {
    const [value, depth] = stack.pop()!;
    if (depth > maxDepth) return `is nested more than ${maxDepth} levels deep`;
    for (const [key, child] of Object.entries(value as object)) {
      if (key === '__proto__') return '__proto__ is not an allowed field';
      if (key.includes('\0') || (typeof child === 'string' && child.includes('\0'))) return 'must not contain NUL characters';
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1]);
    }
  }
  return null;
}
