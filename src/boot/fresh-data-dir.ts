import { existsSync, rmSync } from 'node:fs';
import { AppConfig } from '../config/app-config';

/**
 * The embedded database's directory as this boot found it. A boot that fails before it is ready
 * removes a directory it created itself, so the next start begins clean instead of on a half
 * made database; a directory that existed before is never touched.
 */
export class FreshDataDir {
  private readonly createdByThisBoot: string | null;

  constructor(config: AppConfig) {
    const onDisk = config.embeddedDatabase && !config.DATA_DIR.startsWith('memory://');
    this.createdByThisBoot = onDisk && !existsSync(config.DATA_DIR) ? config.DATA_DIR : null;
  }

  removeAfterFailedBoot(): void {
    if (this.createdByThisBoot) rmSync(this.createdByThisBoot, { recursive: true, force: true });
  }
}
