import { Injectable, Logger, OnApplicationShutdown } from '@nestjs/common';

/** Says that the service stopped and why, once every other module has closed (root module runs last). */
@Injectable()
export class StopLog implements OnApplicationShutdown {
  private readonly logger = new Logger('Service');
  private readonly started = Date.now();

  onApplicationShutdown(signal?: string): void {
    this.logger.log({ signal: signal ?? null, uptimeS: Math.round((Date.now() - this.started) / 1000) }, 'service stopped');
  }
}
