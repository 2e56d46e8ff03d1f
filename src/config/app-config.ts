import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEFAULT_MAX_PACKET_BYTES, MAX_HEARTBEAT_BYTES } from './mqtt-limits';
import { readSyslogTarget, SYSLOG_FACILITIES, SYSLOG_URL_PATTERN, SyslogFacilityName, SyslogTarget } from './syslog-target';
import { readTlsMaterial, TlsMaterial } from './tls-material';
import { AllowedHostEntry, parseAllowedHosts } from './webhook-allowed-hosts';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  const v = String(value).toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const MAX_DATABASE_POOL_SIZE = 100;
export const DEFAULT_DATABASE_POOL_SIZE = 10;
const MIN_MQTT_PACKET_BYTES = MAX_HEARTBEAT_BYTES + 1024;
const IsFeedUrl = () => IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false }, { message: 'must be an http:// or https:// URL' });
const IsDataKey = () => Matches(/^[A-Za-z0-9+/]{43}=$/, { message: 'must be 32 bytes, base64-encoded (openssl rand -base64 32)' });

/**
 * The service's whole configuration, read once from the environment at boot.
 * Names are the stable contract in DESIGN.md; nobody else reads process.env.
 */
export class AppConfig {
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** Unset: an embedded PGlite is started under DATA_DIR. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /**
   * A read replica of DATABASE_URL for the heavy read-only reports (docs/deployment.md, "Reports
   * on a read replica"). Unset: they read the primary.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\//, { message: 'must be a postgres:// or postgresql:// URL' })
  DATABASE_READ_URL?: string;

  /**
   * Connections the service opens to DATABASE_URL (default 10). Not for the embedded database,
   * which always gets one: PGlite has a single session and its socket server can mix up the
   * answers of concurrent connections (electric-sql/pglite#1046). A PGlite served to the
   * service through DATABASE_URL (some tests) needs 1 for the same reason.
   */
  @Transform(toInt)
  @IsOptional()
  @IsInt()
  @Min(1, { message: 'must be a whole number of connections, at least 1' })
  @Max(MAX_DATABASE_POOL_SIZE, { message: `must be at most ${MAX_DATABASE_POOL_SIZE} (PostgreSQL's default max_connections, for every replica together)` })
  DATABASE_POOL_SIZE?: number;

  /** Unset: an embedded Aedes broker is started on MQTT_PORT. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^(mqtts?|wss?|tcp|ssl):\/\//, { message: 'must be an mqtt://, mqtts://, ws:// or wss:// URL' })
  MQTT_URL?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_PORT = 1883;

  /** Embedded PGlite data; `memory://` keeps it in memory (tests). */
  @IsString()
  @MinLength(1)
  DATA_DIR = './data';

  /** Embedded PGlite on its own worker thread (true) or on the main thread (false: for measuring the difference). */
  @Transform(toBool)
  @IsBoolean()
  EMBEDDED_DB_WORKER = true;

  @Transform(toBool)
  @IsBoolean()
  MQTT_ALLOW_ANONYMOUS = false;

  /** Embedded broker: largest MQTT packet a client may send, before and after login (Mosquitto's max_packet_size). */
  @Transform(toInt)
  @IsInt()
  @Min(MIN_MQTT_PACKET_BYTES, {
    message: `must be at least ${MIN_MQTT_PACKET_BYTES} (a heartbeat of up to ${MAX_HEARTBEAT_BYTES} bytes must still arrive, to be recorded as too_large above that)`,
  })
  @Max(268_435_455)
  MQTT_MAX_PACKET_BYTES = DEFAULT_MAX_PACKET_BYTES;

  /**
   * PEM certificate (chain) and private key. Set: the service serves HTTPS only, and the embedded
   * broker listens for MQTT over TLS on MQTT_TLS_PORT (plaintext MQTT only with MQTT_ALLOW_PLAINTEXT).
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  /** The CA (or intermediates) that issued TLS_CERT_FILE, when not a public one: sent with the certificate. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  TLS_CA_FILE?: string;

  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(65535)
  MQTT_TLS_PORT = 8883;

  /** With TLS configured: keep the plaintext MQTT listener on MQTT_PORT as well (devices that cannot do TLS). */
  @Transform(toBool)
  @IsBoolean()
  MQTT_ALLOW_PLAINTEXT = false;

  /** Read from TLS_CERT_FILE, TLS_KEY_FILE and TLS_CA_FILE at load; null without them. Not an environment variable. */
  tls: TlsMaterial | null = null;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'must be at least 24 characters (it is an admin secret)' })
  @Matches(/^(?!iomt[sc]_)/, { message: 'must not start with iomts_ or iomtc_ (reserved for session and challenge tokens)' })
  IOMT_BOOTSTRAP_ADMIN_KEY?: string;

  /**
   * AES-256-GCM key for secrets kept at rest (TOTP secrets): 32 random bytes, base64
   * (`openssl rand -base64 32`). Unset: a key file under DATA_DIR (or, in memory, a key that
   * lives as long as the process); see docs/security.md.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsDataKey()
  IOMT_DATA_KEY?: string;

  /**
   * During a key rotation: the key IOMT_DATA_KEY replaces, same format. Values sealed under it
   * stay readable until `npm run rotate-data-key` has re-sealed them; then remove it.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsDataKey()
  IOMT_DATA_KEY_PREVIOUS?: string;

  /** Lifetime of a person's bearer token after login (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(86_400)
  SESSION_TTL_S = 900;

  /** Per client address and per route: login and MFA attempts a minute. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_AUTH_PER_MIN = 10;

  /** Per client address: writes (POST, PUT, PATCH, DELETE) a minute, all routes together. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  RATE_LIMIT_WRITES_PER_MIN = 1000;

  /** Browser origins allowed by CORS, comma-separated (`https://cmms.example.org`). Unset: none. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\s*,\s*https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?)*$/, {
    message: 'must be a comma-separated list of origins (https://host[:port])',
  })
  CORS_ORIGINS?: string;

  @Transform(toInt)
  @IsInt()
  @Min(5)
  HEARTBEAT_OFFLINE_AFTER_S = 300;

  /**
   * Seconds between two passes of the findings reconciliation, which compares every device's
   * findings with the finding rule and repairs what differs (docs/decisions.md).
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  FINDINGS_RECONCILE_INTERVAL_S = 600;

  /**
   * Seconds between two sweeps that bring back findings whose risk acceptance has expired
   * (docs/vex-and-acceptance.md); reports also sweep before they read, so this bounds only how
   * long the summary table lags for other readers.
   */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  ACCEPTANCE_SWEEP_INTERVAL_S = 60;
  /** Seconds between two passes of the retention job (docs/scale.md, "Retention"). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  RETENTION_INTERVAL_S = 3600;

  /** Days of firmware history kept (each device keeps its newest change whatever its age); 0 keeps all. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_FIRMWARE_HISTORY_DAYS = 730;

  /** Days of audit log kept, pruned behind a checkpoint so the hash chain still verifies; 0 keeps all. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_AUDIT_LOG_DAYS = 2190;

  /** Days an unknown-device sighting is kept after it was last heard; 0 keeps all. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_SIGHTINGS_DAYS = 90;

  /** Days of security events kept; 0 keeps all. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_SECURITY_EVENTS_DAYS = 365;

  /** Days closed work orders (done, cancelled, risk accepted) and their history are kept after they closed; 0 keeps all. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  RETENTION_WORK_ORDERS_DAYS = 2190;

  /** With an external broker: subscribe through $share/<group>/ so replicas split the load. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_-]+$/, { message: 'must be letters, digits, _ or -' })
  MQTT_SHARED_GROUP?: string;

  /** Stable client id for the persistent MQTT session (one per replica). */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(/^[A-Za-z0-9_.-]{1,64}$/, { message: 'must be 1-64 letters, digits, _ . or -' })
  MQTT_CLIENT_ID?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MQTT_USERNAME?: string;

  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  MQTT_PASSWORD?: string;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';

  /** Largest JSON body accepted by the HTTP API. */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  HTTP_BODY_LIMIT_BYTES = 1_048_576;

  /** Largest bulk-import body (CSV or FHIR Bundle). */
  @Transform(toInt)
  @IsInt()
  @Min(1024)
  HTTP_IMPORT_LIMIT_BYTES = 20_971_520;

  /**
   * Security events (and audit entries with SYSLOG_AUDIT) go to this collector as RFC 5424
   * messages (docs/siem.md). Unset: nothing is sent.
   */
  @Transform(emptyToUndefined)
  @IsOptional()
  @Matches(SYSLOG_URL_PATTERN, { message: 'must be tcp://host:port, tls://host:port or udp://host:port' })
  SYSLOG_URL?: string;

  /** Send every audit entry to SYSLOG_URL as well. */
  @Transform(toBool)
  @IsBoolean()
  SYSLOG_AUDIT = false;

  /** tls:// only: a PEM file of CA certificates trusted for the collector, besides the default ones. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  SYSLOG_CA_FILE?: string;

  /** The syslog facility of every message (its PRI is facility * 8 + severity). */
  @IsIn(Object.keys(SYSLOG_FACILITIES), { message: `must be one of ${Object.keys(SYSLOG_FACILITIES).join(', ')}` })
  SYSLOG_FACILITY: SyslogFacilityName = 'local0';

  /** How often the forwarder looks for new events and audit entries (milliseconds). */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  SYSLOG_POLL_INTERVAL_MS = 1000;

  /** udp:// only: largest datagram; a longer message is shortened to fit (docs/siem.md). */
  @Transform(toInt)
  @IsInt()
  @Min(480, { message: 'must be at least 480 (RFC 5426: every receiver takes that much over IPv4)' })
  @Max(65_507)
  SYSLOG_UDP_MAX_BYTES = 2048;

  /** Parsed from SYSLOG_URL and SYSLOG_CA_FILE at load; null without SYSLOG_URL. Not an environment variable. */
  syslog: SyslogTarget | null = null;

  /** CISA's KEV catalog (JSON) to pull, the public feed or a hospital's mirror; unset: uploads only. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsFeedUrl()
  KEV_URL?: string;

  /** FIRST's daily EPSS scores (CSV, plain or gzip) to pull; unset: uploads only. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsFeedUrl()
  EPSS_URL?: string;

  /** Seconds between two pulls of KEV_URL and EPSS_URL (one replica pulls, under an advisory lock). */
  @Transform(toInt)
  @IsInt()
  @Min(60)
  THREAT_INTEL_PULL_INTERVAL_S = 86_400;

  /** Security events detected on the heartbeat path (docs/security-events.md); off only to measure what detection costs. */
  @Transform(toBool)
  @IsBoolean()
  SECURITY_EVENTS_DETECTION = true;

  /** How often work orders past their due date and the daily digest are checked for (seconds). */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  @Max(3600)
  SECURITY_EVENTS_SCHEDULE_INTERVAL_S = 60;

  /** The hour (UTC) from which each day's digest per role is sent. */
  @Transform(toInt)
  @IsInt()
  @Min(0)
  @Max(23)
  DIGEST_HOUR_UTC = 6;

  /** The lowest advisory severity whose newly opened finding raises an exposure_opened event. */
  @IsIn(['low', 'medium', 'high', 'critical'])
  SECURITY_EVENT_EXPOSURE_MIN_SEVERITY: 'low' | 'medium' | 'high' | 'critical' = 'high';

  /** The lowest SSVC decision whose open finding raises an exposure_opened event (either threshold suffices). */
  @IsIn(['defer', 'scheduled', 'out_of_cycle', 'immediate'])
  SECURITY_EVENT_EXPOSURE_MIN_DECISION: 'defer' | 'scheduled' | 'out_of_cycle' | 'immediate' = 'out_of_cycle';

  /** Private, loopback or link-local webhook targets allowed: host names or CIDR ranges, comma-separated. */
  @Transform(emptyToUndefined)
  @IsOptional()
  @IsString()
  WEBHOOK_ALLOWED_HOSTS?: string;

  /** One webhook delivery attempt (connect, send, answer) may take this long. */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  @Max(60_000)
  WEBHOOK_TIMEOUT_MS = 10_000;

  /** The first retry of a failed delivery waits about this long; each next one twice as long (with jitter). */
  @Transform(toInt)
  @IsInt()
  @Min(100)
  WEBHOOK_RETRY_BASE_MS = 5_000;

  /** The longest wait between two attempts of one delivery. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_RETRY_MAX_DELAY_S = 3_600;

  /** A delivery is retried for at least this long after its event (at least 24 h). */
  @Transform(toInt)
  @IsInt()
  @Min(86_400, { message: 'must be at least 86400 (deliveries are retried for at least 24 hours)' })
  WEBHOOK_RETRY_WINDOW_S = 90_000;

  /** An endpoint whose attempts failed this many times in a row is disabled until an admin re-enables it. */
  @Transform(toInt)
  @IsInt()
  @Min(1)
  WEBHOOK_DISABLE_AFTER_FAILURES = 50;

  /** How often each replica looks for due webhook deliveries. */
  @Transform(toInt)
  @IsInt()
  @Min(50)
  @Max(60_000)
  WEBHOOK_POLL_INTERVAL_MS = 1_000;

  /** WEBHOOK_ALLOWED_HOSTS parsed (validated at load). */
  webhookAllowedHosts: AllowedHostEntry[] = [];

  get embeddedDatabase(): boolean {
    return !this.DATABASE_URL;
  }

  /** Connections to DATABASE_URL; the embedded database's single one is decided in DatabaseModule. */
  get databasePoolSize(): number {
    return this.DATABASE_POOL_SIZE ?? DEFAULT_DATABASE_POOL_SIZE;
  }

  get embeddedBroker(): boolean {
    return !this.MQTT_URL;
  }

  get corsOrigins(): string[] {
    return this.CORS_ORIGINS ? this.CORS_ORIGINS.split(',').map((o) => o.trim()) : [];
  }
}

export class ConfigError extends Error {}

// Environment variables are the upper-case fields; `tls` is derived from them.
const KNOWN = new Set(
  Object.keys(new AppConfig())
    .filter((k) => /^[A-Z]/.test(k))
    .concat([
      'DATABASE_URL',
      'DATABASE_READ_URL',
      'DATABASE_POOL_SIZE',
      'MQTT_URL',
      'IOMT_BOOTSTRAP_ADMIN_KEY',
      'MQTT_SHARED_GROUP',
      'MQTT_CLIENT_ID',
      'MQTT_USERNAME',
      'MQTT_PASSWORD',
      'IOMT_DATA_KEY',
      'IOMT_DATA_KEY_PREVIOUS',
      'CORS_ORIGINS',
      'TLS_CERT_FILE',
      'TLS_KEY_FILE',
      'TLS_CA_FILE',
      'SYSLOG_URL',
      'SYSLOG_CA_FILE',
      'KEV_URL',
      'EPSS_URL',
      'WEBHOOK_ALLOWED_HOSTS',
    ]),
);

/** Builds and validates the configuration; a bad value fails with the variable's name and what it expects. */
export function loadConfig(env: Record<string, string | undefined>): AppConfig {
  const picked: Record<string, string> = {};
  for (const key of KNOWN) {
    const value = env[key];
    if (value !== undefined) picked[key] = value;
  }
  const config = plainToInstance(AppConfig, picked, { exposeDefaultValues: true });
  const errors = validateSync(config, { skipMissingProperties: false });
  const lines = errors.map((e) => {
    // A feed URL may carry a mirror's token (user:password@ or ?token=).
    const secret =
      e.property.includes('KEY') ||
      e.property.includes('PASSWORD') ||
      e.property === 'KEV_URL' ||
      e.property === 'EPSS_URL' ||
      e.property === 'DATABASE_READ_URL';
    const shown = secret ? '(hidden)' : JSON.stringify(picked[e.property]);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join(', ')}`;
  });
  // Silently ignoring it would let an operator believe they sized a pool that does not exist.
  if (config.DATABASE_POOL_SIZE !== undefined && !config.DATABASE_URL)
    lines.push(`DATABASE_POOL_SIZE=${JSON.stringify(picked.DATABASE_POOL_SIZE)}: needs DATABASE_URL (the embedded database always uses one connection)`);
  // A previous key alone is a half-done rotation: the new key was forgotten, and the key file
  // would silently become the one everything is re-sealed under.
  // A replica of the embedded database does not exist: PGlite lives inside this process.
  if (config.DATABASE_READ_URL && !config.DATABASE_URL) lines.push('DATABASE_READ_URL=(hidden): needs DATABASE_URL (the primary it replicates) to be set too');
  if (config.IOMT_DATA_KEY_PREVIOUS && !config.IOMT_DATA_KEY) lines.push('IOMT_DATA_KEY_PREVIOUS=(hidden): needs IOMT_DATA_KEY (the new key) to be set too');
  const allowed = parseAllowedHosts(config.WEBHOOK_ALLOWED_HOSTS);
  if ('error' in allowed) lines.push(`WEBHOOK_ALLOWED_HOSTS=${JSON.stringify(picked.WEBHOOK_ALLOWED_HOSTS)}: ${allowed.error}`);
  else config.webhookAllowedHosts = allowed.entries;
  if (lines.length === 0) {
    const tls = readTlsMaterial(config);
    if ('errors' in tls) lines.push(...tls.errors);
    else config.tls = tls.material;
    const syslog = readSyslogTarget(config.SYSLOG_URL, config.SYSLOG_CA_FILE);
    if ('errors' in syslog) lines.push(...syslog.errors);
    else config.syslog = syslog.target;
  }
  if (lines.length > 0) throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  return config;
}
