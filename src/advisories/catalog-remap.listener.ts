import { Injectable, Logger } from '@nestjs/common';
import { OnEvent } from '@nestjs/event-emitter';
import { CATALOG_CHANGED } from '../inventory/inventory.events';
import { CsafImportService } from './csaf-import.service';

/** When a person adds an alias or a model, products that did not map may map now. */
@Injectable()
export class CatalogRemapListener {
  private readonly logger = new Logger(CatalogRemapListener.name);
  private running: Promise<void> = Promise.resolve();
  /** A remap that is waiting for the running one; it will read the catalog as it is then. */
  private waiting: Promise<void> | null = null;
  /** Whether the waiting remap must re-read every advisory, not only those with unmapped products. */
  private everyAdvisory = false;

  constructor(private readonly importer: CsafImportService) {}

  @OnEvent(CATALOG_CHANGED, { async: true, promisify: true })
  onCatalogChanged(): Promise<void> {
    return this.schedule(false);
  }

  /** A person changed which model a product is: advisories where it already mapped change too. */
  onProductRemapped(): Promise<void> {
    return this.schedule(true);
  }

  private schedule(everyAdvisory: boolean): Promise<void> {
    if (everyAdvisory) this.everyAdvisory = true;
    // Bursts of catalog edits (an import of many models) coalesce into one remap after the
    // running one, instead of queueing one full pass per edit.
    if (this.waiting) return this.waiting;
    const next = this.running.then(() => {
      this.waiting = null;
      const every = this.everyAdvisory;
      this.everyAdvisory = false;
      return this.remap(every);
    });
    this.waiting = next;
    this.running = next;
    return next;
  }

  private async remap(everyAdvisory: boolean): Promise<void> {
    try {
      const changed = await this.importer.remapUnmapped(everyAdvisory);
      if (changed.length) this.logger.log({ advisories: changed.length }, 'previously unmapped advisory products now map');
    } catch (e) {
      this.logger.error({ err: (e as Error).message }, 'remapping unmapped advisory products failed');
    }
  }
}
