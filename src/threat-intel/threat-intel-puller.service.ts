import { BeforeApplicationShutdown, Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { Principal } from '../access/role';
import { ConflictError, DomainError } from '../common/domain-errors';
import { AppConfig } from '../config/app-config';
import { FeedPullResultDto, PullResultDto } from './dto/feed-load-result.dto';
import { download, FeedDownloadError, redactUrl, streamOf, textOf } from './feed-download';
import { ThreatIntelService } from './threat-intel.service';
import { Feed, ThreatIntelRepository } from './threat-intel.repository';
import { PeriodicTask } from '../common/periodic-task';

/** The first scheduled pull, after boot: an empty database gets its feeds soon after the start. */
const FIRST_PULL_DELAY_MS = 5_000;
/**
 * A scheduled pull skips a feed any replica attempted less than this share of the interval ago:
 * every replica's timer fires, but each feed is pulled about once per interval.
 */
const RECENT_SHARE = 0.9;
const MAX_ERROR_CHARS = 500;

/**
 * Pulls KEV_URL and EPSS_URL on a schedule and on demand, one replica at a time (a PostgreSQL
 * advisory lock). A failure is recorded (GET /threat-intel shows it) and logged, never thrown
 * out of the schedule: the service keeps running on what it has.
 */
@Injectable()
export class ThreatIntelPuller implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(ThreatIntelPuller.name);
  private readonly task = new PeriodicTask({
    run: () => this.exclusive(() => this.pull(null, true)),
    nextDelayMs: () => this.config.THREAT_INTEL_PULL_INTERVAL_S * 1000,
    logger: this.logger,
    failureMessage: 'scheduled threat-intelligence pull failed; it runs again at the next interval',
  });
  /** This process is pulling: the advisory lock is per session, and the embedded database has one session. */
  private busy = false;

  constructor(
    private readonly threatIntel: ThreatIntelService,
    private readonly repo: ThreatIntelRepository,
    private readonly config: AppConfig,
  ) {}

  onApplicationBootstrap(): void {
    if (this.urls().length) this.task.start(FIRST_PULL_DELAY_MS);
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.task.stop();
  }

  /** POST /threat-intel/pull: every configured feed now, whoever pulled last. */
  async pullNow(actor: Principal): Promise<PullResultDto> {
    const feeds = await this.exclusive(() => this.pull(actor, false));
    if (feeds === null) throw new ConflictError('a pull is running (another request or the schedule); GET /threat-intel shows its outcome when it ends');
    return { feeds };
  }

  /** Runs `work` unless a pull is running here or on another replica (then null). */
  private async exclusive<T>(work: () => Promise<T>): Promise<T | null> {
    if (this.busy) return null;
    this.busy = true;
    try {
      return await this.repo.withPullLock(work);
    } finally {
      this.busy = false;
    }
  }

  private urls(): Array<{ feed: Feed; url: string }> {
    const out: Array<{ feed: Feed; url: string }> = [];
    if (this.config.KEV_URL) out.push({ feed: 'kev', url: this.config.KEV_URL });
    if (this.config.EPSS_URL) out.push({ feed: 'epss', url: this.config.EPSS_URL });
    return out;
  }

  private async pull(actor: Principal | null, skipRecent: boolean): Promise<FeedPullResultDto[]> {
    const recent = skipRecent ? await this.recentlyAttempted() : new Set<Feed>();
    const results: FeedPullResultDto[] = [];
    for (const feed of ['kev', 'epss'] as const) {
      const url = feed === 'kev' ? this.config.KEV_URL : this.config.EPSS_URL;
      if (!url) results.push({ feed, outcome: 'not_configured' });
      else if (!recent.has(feed)) results.push(await this.pullFeed(feed, url, actor));
    }
    return results;
  }

  private async recentlyAttempted(): Promise<Set<Feed>> {
    const since = Date.now() - this.config.THREAT_INTEL_PULL_INTERVAL_S * 1000 * RECENT_SHARE;
    return new Set((await this.repo.pulls()).filter((p) => p.lastAttemptAt.getTime() > since).map((p) => p.feed));
  }

  private async pullFeed(feed: Feed, url: string, actor: Principal | null): Promise<FeedPullResultDto> {
    const loader = { actor, origin: 'pull' as const };
    try {
      const res = await download(url);
      const result =
        feed === 'kev'
          ? await this.threatIntel.loadKev(loader, parseJson(await textOf(res, this.config.HTTP_IMPORT_LIMIT_BYTES)))
          : await this.threatIntel.loadEpss(loader, { body: streamOf(res), declaredGzip: /gzip/i.test(res.headers.get('content-type') ?? '') });
      await this.repo.recordPull(feed, null);
      const version = 'kev' in result ? result.kev.catalogVersion : result.epss.modelVersion;
      return { feed, outcome: result.unchanged ? 'unchanged' : 'loaded', version };
    } catch (e) {
      const error = describe(e);
      this.logger.warn({ feed, url: redactUrl(url), error, err: (e as Error)?.message }, 'threat-intelligence pull failed');
      await this.repo
        .recordPull(feed, error)
        .catch((re: unknown) => this.logger.warn({ feed, err: (re as Error).message }, 'could not record the failed pull'));
      return { feed, outcome: 'failed', error };
    }
  }
}

function parseJson(text: string): unknown {
  if (text.includes('\u0000')) throw new FeedDownloadError('the feed contains NUL characters');
  try {
    return JSON.parse(text);
  } catch {
    throw new FeedDownloadError('the feed is not valid JSON');
  }
}

/** What a person can act on: our own errors as they are, anything else by its kind only (no internals). */
function describe(e: unknown): string {
  const message =
    e instanceof FeedDownloadError || e instanceof DomainError ? e.message : `unexpected error (${(e as Error)?.name ?? 'unknown'}); see the service log`;
  return message.length > MAX_ERROR_CHARS ? `${message.slice(0, MAX_ERROR_CHARS)}...` : message;
}
