import { randomUUID } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { EventEmitter2 } from '@nestjs/event-emitter';
import { EntityManager } from 'typeorm';
import { SYSTEM_ACTOR } from '../audit/audit.service';
import { AuditService } from '../audit/audit.service';
import { Principal } from '../access/role';
import { InvalidInputError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { PRIORITY_INPUTS_CHANGED, PriorityInputsChangedEvent } from '../prioritisation/prioritisation.events';
import { EpssLoadResultDto, KevLoadResultDto } from './dto/feed-load-result.dto';
import { ThreatIntelStatusDto, toEpssStatus, toFeedPullStatus, toKevStatus } from './dto/threat-intel-status.dto';
import { EpssFormatError } from './epss-format';
import { EpssTooLargeError, readEpss } from './epss-reader';
import { readKevCatalog } from './kev-catalog';
import { FeedTooLargeError } from './threat-intel.errors';
import { Feed, FeedOrigin, FeedRecord, ThreatIntelRepository } from './threat-intel.repository';

/** EPSS scores written per statement while a file streams in. */
export const EPSS_BATCH = 5_000;
/**
 * A new day of EPSS moves most of its ~300,000 scores; past this many changed CVEs the
 * prioritisation is told that everything changed rather than handed a list that large.
 */
export const EPSS_CHANGED_ALL_THRESHOLD = 10_000;

/** Who loads a feed: a person or key (upload, on-demand pull), or the schedule (null). */
export interface FeedLoader {
  actor: Principal | null;
  origin: FeedOrigin;
}

export interface EpssBody {
  /** The bytes; `finish()` is called once reading is over, whatever happened (drain or drop the rest). */
  body: AsyncIterable<Buffer> & { finish(): Promise<void> };
  /** Content-Encoding: gzip or Content-Type: application/gzip. */
  declaredGzip: boolean;
}

@Injectable()
export class ThreatIntelService {
  private readonly logger = new Logger(ThreatIntelService.name);

  constructor(
    private readonly repo: ThreatIntelRepository,
    private readonly audit: AuditService,
    private readonly events: EventEmitter2,
    private readonly config: AppConfig,
  ) {}

  async status(): Promise<ThreatIntelStatusDto> {
    const [feeds, pulls] = await Promise.all([this.repo.feeds(), this.repo.pulls()]);
    const feed = (f: Feed) => feeds.find((x) => x.feed === f);
    const pull = (f: Feed) => pulls.find((x) => x.feed === f);
    const kev = feed('kev');
    const epss = feed('epss');
    return {
      kev: kev ? toKevStatus(kev) : null,
      epss: epss ? toEpssStatus(epss) : null,
      pull: {
        intervalSeconds: this.config.THREAT_INTEL_PULL_INTERVAL_S,
        kev: toFeedPullStatus(!!this.config.KEV_URL, pull('kev')),
        epss: toFeedPullStatus(!!this.config.EPSS_URL, pull('epss')),
      },
    };
  }

  /** Replaces the KEV catalog with this document, unless its catalogVersion is the one loaded. */
  async loadKev(loader: FeedLoader, document: unknown): Promise<KevLoadResultDto> {
    const reading = readKevCatalog(document);
    if ('problems' in reading) {
      throw new InvalidInputError(reading.problems.map((p) => `${p.path}: ${p.message}`).join('; '), { problems: reading.problems });
    }
    const { catalog } = reading;
    const outcome = await this.repo.replaceKev(
      catalog.entries,
      { version: catalog.catalogVersion, releasedAt: catalog.dateReleased, origin: loader.origin, loadedBy: loadedBy(loader) },
      (m, previous) =>
        this.recordLoad(m, loader, 'kev', previous, { version: catalog.catalogVersion, dateReleased: catalog.dateReleased, entries: catalog.entries.length }),
    );
    if (outcome.status === 'unchanged') return { unchanged: true, changedCves: 0, kev: toKevStatus(outcome.feed) };
    this.logger.log(
      { version: catalog.catalogVersion, entries: catalog.entries.length, changedCves: outcome.changed.cves.length, origin: loader.origin },
      'KEV catalog loaded',
    );
    await this.announce(outcome.changed.cves, false);
    return { unchanged: false, changedCves: outcome.changed.cves.length, kev: toKevStatus(outcome.feed) };
  }

  /**
   * Streams an EPSS file into staging in batches, then swaps the day in whole; a malformed line
   * loads nothing. A day already loaded is recognised from line 1 and nothing more is read.
   */
  async loadEpss(loader: FeedLoader, input: EpssBody): Promise<EpssLoadResultDto> {
    const loadId = randomUUID();
    const started = Date.now();
    const already: { feed: FeedRecord | null } = { feed: null };
    try {
      const read = await readEpss(
        input.body,
        {
          maxBodyBytes: this.config.HTTP_IMPORT_LIMIT_BYTES,
          maxCsvBytes: this.config.HTTP_IMPORT_LIMIT_BYTES,
          declaredGzip: input.declaredGzip,
          batchSize: EPSS_BATCH,
        },
        {
          onHeader: async (h) => {
            already.feed = await this.repo.isEpssLoaded(h.modelVersion, h.scoreDate);
            return already.feed ? 'stop' : 'continue';
          },
          onBatch: (scores) => this.repo.stageEpss(loadId, scores),
        },
      );
      if (read.stopped && already.feed) return { unchanged: true, rows: 0, changedCves: 0, epss: toEpssStatus(already.feed) };
      const staged = Date.now();
      const duplicate = await this.repo.firstDuplicate(loadId);
      if (duplicate)
        throw new InvalidInputError(`line ${duplicate.line}: cve: ${duplicate.cve} is listed twice (also line ${duplicate.firstLine})`, {
          line: duplicate.line,
          field: 'cve',
        });
      const { header } = read;
      const outcome = await this.repo.swapEpss(
        loadId,
        { version: header.modelVersion, releasedAt: header.scoreDate, origin: loader.origin, loadedBy: loadedBy(loader) },
        EPSS_CHANGED_ALL_THRESHOLD,
        (m, previous) => this.recordLoad(m, loader, 'epss', previous, { version: header.modelVersion, scoreDate: header.scoreDate, entries: read.rows }),
      );
      if (outcome.status === 'unchanged') return { unchanged: true, rows: read.rows, changedCves: 0, epss: toEpssStatus(outcome.feed) };
      this.logger.log(
        {
          version: header.modelVersion,
          scoreDate: header.scoreDate,
          entries: read.rows,
          origin: loader.origin,
          readAndStageMs: staged - started,
          swapMs: Date.now() - staged,
        },
        'EPSS scores loaded',
      );
      await this.announce(outcome.changed.cves, outcome.changed.more);
      return { unchanged: false, rows: read.rows, changedCves: outcome.changed.more ? null : outcome.changed.cves.length, epss: toEpssStatus(outcome.feed) };
    } catch (e) {
      if (e instanceof EpssFormatError) throw new InvalidInputError(e.message, { line: e.line, field: e.field });
      if (e instanceof EpssTooLargeError) throw new FeedTooLargeError(e.message);
      throw e;
    } finally {
      await input.body.finish();
      await this.repo.discardStaged(loadId);
    }
  }

  /**
   * After the commit: the decisions that read these CVEs' KEV or EPSS inputs are recomputed by
   * whoever listens. Awaited, so the answer to a load shows the decisions it moved; a whole new
   * day of EPSS scores (scope 'all') moves every open finding and may take minutes at fleet size,
   * so that one is not awaited: the decisions follow within the recompute's time (docs/threat-intel.md).
   */
  private async announce(cves: string[], everything: boolean): Promise<void> {
    if (!everything && cves.length === 0) return;
    const event: PriorityInputsChangedEvent = everything ? { scope: 'all' } : { scope: 'cves', cves };
    if (everything) this.events.emit(PRIORITY_INPUTS_CHANGED, event);
    else await this.events.emitAsync(PRIORITY_INPUTS_CHANGED, event);
  }

  private recordLoad(m: EntityManager, loader: FeedLoader, feed: Feed, previous: FeedRecord | null, loaded: Record<string, unknown>): Promise<void> {
    return this.audit.record(m, loader.actor ?? SYSTEM_ACTOR, {
      action: 'load',
      entityType: 'threat_intel_feed',
      entityId: feed,
      changes: { ...loaded, origin: loader.origin, previousVersion: previous?.version ?? null },
    });
  }
}

/** threat_intel_feeds.loaded_by holds 100 characters; the audit log keeps the actor's id. */
const loadedBy = (loader: FeedLoader): string | null => loader.actor?.name.slice(0, 100) ?? null;
