import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, MinLength, validateSync } from 'class-validator';
import { DEFAULT_MAX_PACKET_BYTES, MAX_HEARTBEAT_BYTES } from './mqtt-limits';
import { readTlsMaterial, TlsMaterial } from './tls-material';

const toInt = ({ value }: { value: unknown }) => (value === undefined || value === '' ? undefined : /^-?\d+$/.test(String(value)) ? Number(value) : value);
const toBool = ({ value }: { value: unknown }) => {
  if (value === undefined || value === '') return undefined;
  const v = String(value).toLowerCase();
  if (['true', '1', 'yes'].includes(v)) return true;
  if (['false', '0', 'no'].includes(v)) return false;
  return value;
};
const emptyToUndefined = ({ value }: { value: unknown }) => (value === '' ? undefined : value);
const MIN_MQTT_PACKET_BYTES = MAX_HEARTBEAT_BYTES + 1024;
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

  get embeddedDatabase(): boolean {
    return !this.DATABASE_URL;
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
    const shown = e.property.includes('KEY') || e.property.includes('PASSWORD') ? '(hidden)' : JSON.stringify(picked[e.property]);
    return `${e.property}=${shown}: ${Object.values(e.constraints ?? {}).join(', ')}`;
  });
  // A previous key alone is a half-done rotation: the new key was forgotten, and the key file
  // would silently become the one everything is re-sealed under.
  if (config.IOMT_DATA_KEY_PREVIOUS && !config.IOMT_DATA_KEY) lines.push('IOMT_DATA_KEY_PREVIOUS=(hidden): needs IOMT_DATA_KEY (the new key) to be set too');
  if (lines.length === 0) {
    const tls = readTlsMaterial(config);
    if ('errors' in tls) lines.push(...tls.errors);
    else config.tls = tls.material;
  }
  if (lines.length > 0) throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  return config;
}
