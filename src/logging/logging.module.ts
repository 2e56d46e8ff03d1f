import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { DynamicModule, Module, RequestMethod } from '@nestjs/common';
import { LoggerModule } from 'nestjs-pino';
import { AppConfig } from '../config/app-config';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;
const PATIENT_REF_IN_QUERY = /([?&]patientRef=)[^&#]*/gi;

/** pino JSON logs; every request line carries a request id, and credentials are redacted. */
@Module({})
export class LoggingModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: LoggingModule,
      imports: [
        LoggerModule.forRoot({
          // Named wildcard: the path syntax of Express 5 (a bare '*' is deprecated).
          forRoutes: [{ path: '{*splat}', method: RequestMethod.ALL }],
          pinoHttp: {
            level: config.LOG_LEVEL,
            // A caller's X-Request-Id is kept when it is sane, so traces join across services.
            genReqId: (req: IncomingMessage, res) => {
              const given = req.headers['x-request-id'];
              const id = typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID();
              res.setHeader('X-Request-Id', id);
              return id;
            },
            redact: {
              paths: [
                'req.headers.authorization',
                'req.headers.cookie',
                'res.headers["set-cookie"]',
                '*.password',
                '*.key',
                '*.secret',
                // Patient links: never expected in a log line, redacted anyway up to two levels down.
                'patientRef',
                '*.patientRef',
                '*.*.patientRef',
              ],
              censor: '[redacted]',
            },
            // One short line per request (about 250 bytes, was 1.3-1.5 KB with every request and
            // response header): what a person or a log search needs to follow a request, nothing
            // a header could leak. A patientRef a client put in the query (no route takes one)
            // must not survive in the URL.
            serializers: {
              req: (req: { id?: unknown; method?: string; url?: string }) => ({
                id: req.id,
                method: req.method,
                url: req.url?.replace(PATIENT_REF_IN_QUERY, '$1[redacted]'),
              }),
              res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
            },
            autoLogging: { ignore: (req) => req.url === '/health' },
            customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
          },
        }),
      ],
    };
  }
}
