import { randomBytes, randomUUID } from 'node:crypto';
import { INestApplication } from '@nestjs/common';
import { Client } from 'pg';
import request from 'supertest';
import { AppConfig, loadConfig } from '../../src/config/app-config';
import { createHttpApp } from '../../src/http-app';
import { EMBEDDED_BROKER } from '../../src/mqtt/mqtt.module';
import { EmbeddedBroker } from '../../src/mqtt/embedded-broker';

const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL || undefined;
const TEST_MQTT_URL = process.env.TEST_MQTT_URL || undefined;

export const usingRealServices = { database: !!TEST_DATABASE_URL, broker: !!TEST_MQTT_URL };

export interface TestApp {
  app: INestApplication;
  config: AppConfig;
  adminKey: string;
  /** Where a device (test MQTT client) connects. */
  mqttUrl: string;
  databaseUrl: string | null;
  http: () => ReturnType<typeof request>;
  /** Shorthand: an authenticated request builder. */
  api: (key?: string) => AuthedAgent;
  close: () => Promise<void>;
}

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
export type AuthedAgent = Record<Method, (path: string) => request.Test>;

export interface TestAppOptions {
  env?: Record<string, string>;
  /** Reuse a database from an earlier instance (restart tests). */
  databaseUrl?: string;
}

/** A fresh PostgreSQL database per call when TEST_DATABASE_URL is set, else an in-memory PGlite. */
export async function createTestDatabase(): Promise<string | null> {
  if (!TEST_DATABASE_URL) return null;
  const name = `iomt_e2e_${randomBytes(6).toString('hex')}`;
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function dropTestDatabase(url: string | null): Promise<void> {
  if (!url || !TEST_DATABASE_URL) return;
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}

/** Boots the real AppModule (HTTP, database, MQTT) the way `npm start` does. */
export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const adminKey = `iomt_test_admin_${randomBytes(16).toString('hex')}`;
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  const ownsDatabase = !options.databaseUrl;
  const env: Record<string, string> = {
    HOST: '127.0.0.1',
    PORT: '0',
    MQTT_PORT: '0',
    MQTT_ALLOW_ANONYMOUS: 'true',
    DATA_DIR: 'memory://',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    IOMT_BOOTSTRAP_ADMIN_KEY: adminKey,
    MQTT_CLIENT_ID: `iomt-test-${randomUUID().slice(0, 8)}`,
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(TEST_MQTT_URL ? { MQTT_URL: TEST_MQTT_URL } : {}),
    ...options.env,
  };
  const config = loadConfig(env);
  const app = await createHttpApp(config, { logs: false });
  await app.init();
  const broker = app.get<EmbeddedBroker | null>(EMBEDDED_BROKER);
  const mqttUrl = broker ? `mqtt://127.0.0.1:${broker.port}` : config.MQTT_URL!;
  const server = app.getHttpServer();
  const http = () => request(server);
  const api = (key = adminKey): AuthedAgent => {
    const authed = (method: Method) => (path: string) => request(server)[method](path).set('Authorization', `Bearer ${key}`);
    return { get: authed('get'), post: authed('post'), patch: authed('patch'), put: authed('put'), delete: authed('delete') };
  };
  return {
    app,
    config,
    adminKey,
    mqttUrl,
    databaseUrl,
    http,
    api,
    close: async () => {
      await app.close();
      if (ownsDatabase) await dropTestDatabase(databaseUrl);
    },
  };
}
