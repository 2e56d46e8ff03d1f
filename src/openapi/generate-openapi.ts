import { OpenAPIObject } from '@nestjs/swagger';
import { NestFactory } from '@nestjs/core';
import { AppModule } from '../app.module';
import { loadConfig } from '../config/app-config';
import { useApiPrefix } from '../http-app';
import { buildOpenApiDocument } from './openapi-document';

/**
 * The document exactly as the running service serves it at /docs-json, without a database or a
 * broker: Nest's preview mode reads the modules, controllers and DTOs but instantiates nothing.
 */
export async function generateOpenApiDocument(): Promise<OpenAPIObject> {
  // Nothing is started in preview mode; the configuration only has to be valid.
  const config = loadConfig({ DATA_DIR: 'memory://', LOG_LEVEL: 'silent' });
  const app = await NestFactory.create(AppModule.forRoot(config), { preview: true, logger: false, abortOnError: false });
  useApiPrefix(app);
  return buildOpenApiDocument(app);
}
