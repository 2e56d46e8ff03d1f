import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { AppConfig } from '../config/app-config';
import { ApiKeysService } from './api-keys.service';

/** On boot, guarantees that an admin can reach the API. */
@Injectable()
export class AdminBootstrapService implements OnApplicationBootstrap {
  private readonly logger = new Logger(AdminBootstrapService.name);

  constructor(
    private readonly apiKeys: ApiKeysService,
    private readonly config: AppConfig,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    const { createdSecret } = await this.apiKeys.ensureAdminAccess(this.config.IOMT_BOOTSTRAP_ADMIN_KEY);
    if (!createdSecret) return;
    this.logger.warn('no admin API key existed: created one and printed it once on stdout (not in the log)');
    // Deliberately outside the structured log, which may be shipped elsewhere: the operator
    // reads it once from the console, then it exists only as a hash.
    process.stdout.write(`\n  First admin API key (shown once, store it now): ${createdSecret}\n\n`);
  }
}
