import { INestApplication, RequestMethod } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { NestExpressApplication } from '@nestjs/platform-express';
import { SwaggerModule } from '@nestjs/swagger';
import { json, text } from 'express';
import helmet from 'helmet';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { builtConsoleDir, consoleHelmet, serveConsole } from './console/console-static';
import { bodyParserErrors } from './common/body-parser-errors';
import { inputGuard } from './common/input-guard';
import { AppConfig } from './config/app-config';
import { buildOpenApiDocument } from './openapi/openapi-document';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP application exactly as production runs it; tests use the same function. */
export async function createHttpApp(config: AppConfig, options: { logs?: boolean } = {}): Promise<INestApplication> {
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(config), {
    bufferLogs: true,
    bodyParser: false,
    abortOnError: false,
    // With a certificate the service speaks HTTPS only: tokens and passwords never cross plaintext.
    httpsOptions: config.tls ? { cert: config.tls.cert, key: config.tls.key, ca: config.tls.ca } : undefined,
  });
  if (options.logs !== false) app.useLogger(app.get(Logger));
  else app.useLogger(false);

  app.disable('x-powered-by');
  app.set('trust proxy', 'loopback');
  // No ETag on answers: the API answers no-store (below), so no client revalidates, and hashing
  // each body cost a copy and a SHA-1 of it (0.7 ms for a 675 KB report page, issue 15).
  app.set('etag', false);
  // The console's strict policy everywhere; only the Swagger UI, which needs inline styles and
  // scripts, gets the looser one (the later header wins).
  app.use(consoleHelmet());
  app.use(
    '/docs',
    helmet({
      contentSecurityPolicy: { directives: { 'script-src': ["'self'", "'unsafe-inline'"], 'style-src': ["'self'", "'unsafe-inline'"] } },
    }),
  );
  serveConsole(app, builtConsoleDir());
  // Bulk import takes CSV and far larger bodies than the rest of the API, on its own path only;
  // a body parsed here is not parsed again by the global JSON parser below.
  app.use(
    `/${API_PREFIX}/devices/import`,
    text({ type: 'text/csv', limit: config.HTTP_IMPORT_LIMIT_BYTES }),
    json({ type: ['application/json', 'application/fhir+json'], limit: config.HTTP_IMPORT_LIMIT_BYTES }),
  );
  // CISA's KEV catalog (about 1.3 MB, growing) is larger than any other JSON body; the EPSS CSV
  // is never parsed here: its route streams the raw request (src/threat-intel).
  app.use(`/${API_PREFIX}/threat-intel/kev`, json({ type: ['application/json', 'application/*+json'], limit: config.HTTP_IMPORT_LIMIT_BYTES }));
  app.use(json({ limit: config.HTTP_BODY_LIMIT_BYTES, type: ['application/json', 'application/*+json'] }));
  app.use(bodyParserErrors);
  app.use(inputGuard());
  // Tokens travel in response bodies (login): no proxy or browser cache may keep an API answer.
  app.use(`/${API_PREFIX}`, (_req: unknown, res: { setHeader: (n: string, v: string) => void }, next: () => void) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  // No browser origin may call the API unless CORS_ORIGINS names it (bearer tokens, no cookies).
  app.enableCors(
    config.corsOrigins.length > 0
      ? {
          origin: config.corsOrigins,
          methods: ['GET', 'POST', 'PATCH', 'PUT', 'DELETE'],
          // Never X-IoMT-Console: a cross-origin page must not pass the console's CSRF check.
          allowedHeaders: ['Authorization', 'Content-Type', 'Accept', 'X-Request-Id'],
          exposedHeaders: ['X-Request-Id', 'Retry-After'],
          credentials: false,
          maxAge: 600,
        }
      : { origin: false },
  );
  useApiPrefix(app);
  app.enableShutdownHooks();

  // Built on the first request to /docs or /docs-json, then kept: reading every controller and DTO
  // at boot cost the embedded default's boot memory for a page most runs never open.
  SwaggerModule.setup('docs', app, () => buildOpenApiDocument(app), { jsonDocumentUrl: 'docs-json', useGlobalPrefix: false });
  return app;
}

/** Every route under /api/v1 except the probes' fixed paths; the OpenAPI generator uses it too. */
export function useApiPrefix(app: INestApplication): void {
  app.setGlobalPrefix(API_PREFIX, {
    exclude: [
      { path: 'health', method: RequestMethod.GET },
      { path: 'metrics', method: RequestMethod.GET },
    ],
  });
}
