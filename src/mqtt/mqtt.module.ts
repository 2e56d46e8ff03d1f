import { rootCertificates } from 'node:tls';
import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EmbeddedBroker } from './embedded-broker';
import { defaultClientId, MqttConnection } from './mqtt-connection';

export const EMBEDDED_BROKER = Symbol('EMBEDDED_BROKER');

/** Closes the client before the broker it may be connected to. */
class MqttLifecycle implements OnApplicationShutdown {
  constructor(
    private readonly connection: MqttConnection,
    @Inject(EMBEDDED_BROKER) private readonly broker: EmbeddedBroker | null,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    await this.connection.close();
    await this.broker?.close();
  }
}

async function startEmbeddedBroker(config: AppConfig): Promise<EmbeddedBroker> {
  const broker = new EmbeddedBroker(config.MQTT_ALLOW_ANONYMOUS, {
    serviceClientId: config.MQTT_CLIENT_ID ?? defaultClientId(),
    maxPacketBytes: config.MQTT_MAX_PACKET_BYTES,
    tls: config.tls ?? undefined,
  });
  if (config.tls) await broker.listenTls(config.MQTT_TLS_PORT, config.HOST);
  // With a certificate, plaintext only when asked for: devices' passwords would cross it in clear.
  if (!config.tls || config.MQTT_ALLOW_PLAINTEXT) await broker.listen(config.MQTT_PORT, config.HOST);
  return broker;
}

/**
 * The service's own connection to its embedded broker: over TLS whenever the broker has a
 * certificate, so its secret never crosses a plaintext link either. It connects to 127.0.0.1,
 * which the certificate does not name, so instead of the host name it checks that the broker
 * presents exactly the service's own certificate.
 */
function connectToEmbedded(config: AppConfig, broker: EmbeddedBroker): MqttConnection {
  const common = { clientId: config.MQTT_CLIENT_ID, username: broker.serviceUsername, password: broker.servicePassword };
  const tls = config.tls;
  if (!tls) return new MqttConnection({ url: `mqtt://127.0.0.1:${broker.port}`, ...common });
  return new MqttConnection({
    url: `mqtts://127.0.0.1:${broker.tlsPort}`,
    ...common,
    tls: {
      ca: [...rootCertificates, tls.cert.toString(), ...(tls.ca ? [tls.ca.toString()] : [])],
      checkServerIdentity: (_host, cert) =>
        cert.fingerprint256 === tls.fingerprint256 ? undefined : new Error("the embedded broker did not present the service's certificate"),
    },
  });
}

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_BROKER,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<EmbeddedBroker | null> => (config.embeddedBroker ? startEmbeddedBroker(config) : null),
    },
    {
      // Not opened here: the heartbeat ingest opens it once its handlers are installed.
      provide: MqttConnection,
      inject: [AppConfig, EMBEDDED_BROKER],
      useFactory: (config: AppConfig, broker: EmbeddedBroker | null): MqttConnection =>
        broker
          ? connectToEmbedded(config, broker)
          : new MqttConnection({ url: config.MQTT_URL!, clientId: config.MQTT_CLIENT_ID, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD }),
    },
    MqttLifecycle,
  ],
  exports: [MqttConnection, EMBEDDED_BROKER],
})
export class MqttModule {}
