import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { INestApplication, Logger } from '@nestjs/common';
import express, { NextFunction, Request, Response } from 'express';
import helmet from 'helmet';
import { CONSOLE_CSP_DIRECTIVES, IMMUTABLE_ASSET_CACHE, INDEX_CACHE, isConsoleRoute } from './console-routes';

/** Where `npm run build` puts the console (vite's outDir): dist/web under the repository root. */
export function builtConsoleDir(from = __dirname): string | null {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) {
      const web = join(dir, 'dist', 'web');
      return existsSync(join(web, 'index.html')) ? web : null;
    }
  }
  return null;
}

/** The strict CSP for everything but the Swagger UI (which needs inline script and style). */
export const consoleHelmet = () => helmet({ contentSecurityPolicy: { useDefaults: false, directives: CONSOLE_CSP_DIRECTIVES } });

/**
 * Serves the built console at / from the same process: hashed assets cached for good, index.html
 * revalidated, and the deep links answered with index.html. Without a build (tests that never
 * built it, a trimmed image) the API runs on and / stays a 404.
 */
export function serveConsole(app: INestApplication, dir: string | null): void {
  if (!dir) {
    new Logger('Console').warn('no built console (dist/web): run npm run build to serve it at /');
    return;
  }
  const index = join(dir, 'index.html');
  app.use(
    '/assets',
    // A missing asset falls through to the API's JSON 404.
    express.static(join(dir, 'assets'), {
      index: false,
      immutable: true,
      maxAge: '365d',
      setHeaders: (res) => res.setHeader('Cache-Control', IMMUTABLE_ASSET_CACHE),
    }),
  );
  app.use((req: Request, res: Response, next: NextFunction) => {
    if ((req.method !== 'GET' && req.method !== 'HEAD') || !isConsoleRoute(req.path)) return next();
    res.setHeader('Cache-Control', INDEX_CACHE);
    res.sendFile(index);
  });
}
