import { Global, Inject, Module, OnApplicationShutdown } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { EmbeddedBroker } from './embedded-broker';
import { MqttConnection } from './mqtt-connection';

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

@Global()
@Module({
  providers: [
    {
      provide: EMBEDDED_BROKER,
      inject: [AppConfig],
      useFactory: async (config: AppConfig): Promise<EmbeddedBroker | null> => {
        if (!config.embeddedBroker) return null;
        const broker = new EmbeddedBroker(config.MQTT_ALLOW_ANONYMOUS);
        await broker.listen(config.MQTT_PORT, config.HOST);
        return broker;
      },
    },
    {
      // Not opened here: the heartbeat ingest opens it once its handlers are installed.
      provide: MqttConnection,
      inject: [AppConfig, EMBEDDED_BROKER],
      useFactory: (config: AppConfig, broker: EmbeddedBroker | null): MqttConnection =>
        broker
          ? new MqttConnection({ url: `mqtt://127.0.0.1:${broker.port}`, clientId: config.MQTT_CLIENT_ID, username: broker.serviceUsername, password: broker.servicePassword })
          : new MqttConnection({ url: config.MQTT_URL!, clientId: config.MQTT_CLIENT_ID, username: config.MQTT_USERNAME, password: config.MQTT_PASSWORD }),
    },
    MqttLifecycle,
  ],
  exports: [MqttConnection, EMBEDDED_BROKER],
})
export class MqttModule {}
