import 'reflect-metadata';
import { Server } from 'node:net';
import { assertPortsFree, takenPortError } from './boot/ports';
import { FreshDataDir } from './boot/fresh-data-dir';
import { serviceUrls } from './boot/service-urls';
import { AppConfig, ConfigError, loadConfig } from './config/app-config';
import { API_PREFIX, createHttpApp } from './http-app';
import { EmbeddedBroker } from './mqtt/embedded-broker';
import { EMBEDDED_BROKER } from './mqtt/mqtt.module';

const EX_CONFIG = 78;

function stopOnConfigError(e: ConfigError): never {
  process.stderr.write(`${e.message}\n`);
  process.exit(EX_CONFIG);
}

async function main(config: AppConfig, dataDir: FreshDataDir): Promise<void> {
  // Before anything is created: a taken port must leave no data directory behind.
  await assertPortsFree(config);
  const started = Date.now();
  try {
    const app = await createHttpApp(config);
    await app.listen(config.PORT, config.HOST);
    const address = (app.getHttpServer() as Server).address();
    const httpPort = typeof address === 'object' && address ? address.port : config.PORT;
    const broker = app.get<EmbeddedBroker | null>(EMBEDDED_BROKER);
    const urls = serviceUrls(config, httpPort, broker ? { plain: broker.port, tls: broker.tlsPort } : null, API_PREFIX);
    process.stdout.write(
      JSON.stringify({
        level: 30,
        msg: 'service ready',
        ...urls,
        port: httpPort,
        https: config.tls !== null,
        bootMs: Date.now() - started,
        rssMb: Math.round(process.memoryUsage().rss / 1048576),
      }) + '\n',
    );
  } catch (e) {
    dataDir.removeAfterFailedBoot();
    // A port taken between the check and the listen is the same configuration error.
    const taken = (e as NodeJS.ErrnoException).code === 'EADDRINUSE' ? takenPortError(config, (e as { port?: number }).port) : null;
    throw taken ?? e;
  }
}

let config: AppConfig;
try {
  // The only read of the environment in the service.
  config = loadConfig(process.env);
} catch (e) {
  if (e instanceof ConfigError) stopOnConfigError(e);
  throw e;
}

main(config, new FreshDataDir(config)).catch((err) => {
  if (err instanceof ConfigError) stopOnConfigError(err);
  process.stderr.write(`Fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
