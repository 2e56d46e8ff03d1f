import 'reflect-metadata';
import { ConfigError, loadConfig } from './config/app-config';
import { createHttpApp } from './http-app';

async function main(): Promise<void> {
  let config;
  try {
    // The only read of the environment in the service.
    config = loadConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(78); // EX_CONFIG
    }
    throw e;
  }
  const started = Date.now();
  const app = await createHttpApp(config);
  await app.listen(config.PORT, config.HOST);
  process.stdout.write(
    JSON.stringify({ level: 30, msg: 'service ready', port: config.PORT, https: config.tls !== null, bootMs: Date.now() - started, rssMb: Math.round(process.memoryUsage().rss / 1048576) }) + '\n',
  );
}

void main().catch((err) => {
  process.stderr.write(`Fatal: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
