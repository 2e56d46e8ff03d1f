import { readFileSync } from 'node:fs';
import { createSecureContext } from 'node:tls';
import { createPrivateKey, X509Certificate } from 'node:crypto';

/** The service's own certificate, for HTTPS and the embedded broker's MQTT-over-TLS listener. */
export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  ca?: Buffer;
  /** SHA-256 fingerprint of the leaf certificate: the service's own broker connection pins it. */
  fingerprint256: string;
}

interface TlsFiles {
  TLS_CERT_FILE?: string;
  TLS_KEY_FILE?: string;
  TLS_CA_FILE?: string;
}

/**
 * Reads and checks the files at boot, so that a wrong path, a key that does not belong to the
 * certificate or an expired certificate stops the start (exit 78) instead of failing each
 * client's handshake later.
 */
export function readTlsMaterial(files: TlsFiles, now = new Date()): { material: TlsMaterial | null } | { errors: string[] } {
  const { TLS_CERT_FILE: certFile, TLS_KEY_FILE: keyFile, TLS_CA_FILE: caFile } = files;
  if (!certFile && !keyFile) {
    return caFile ? { errors: [`TLS_CA_FILE=${JSON.stringify(caFile)}: needs TLS_CERT_FILE and TLS_KEY_FILE`] } : { material: null };
  }
  if (!certFile || !keyFile) {
    const missing = certFile ? 'TLS_KEY_FILE' : 'TLS_CERT_FILE';
    return { errors: [`${missing}: must be set too (TLS needs both a certificate and its private key)`] };
  }
  const errors: string[] = [];
  const read = (name: string, path: string): Buffer | undefined => {
    try {
      return readFileSync(path);
    } catch (e) {
      errors.push(`${name}=${JSON.stringify(path)}: cannot be read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      return undefined;
    }
  };
  const cert = read('TLS_CERT_FILE', certFile);
  const key = read('TLS_KEY_FILE', keyFile);
  const ca = caFile ? read('TLS_CA_FILE', caFile) : undefined;
  if (!cert || !key || (caFile && !ca)) return { errors };

  let leaf: X509Certificate;
  try {
    leaf = new X509Certificate(cert);
  } catch {
    return { errors: [`TLS_CERT_FILE=${JSON.stringify(certFile)}: is not a PEM certificate`] };
  }
  if (new Date(leaf.validTo) < now)
    errors.push(`TLS_CERT_FILE=${JSON.stringify(certFile)}: the certificate expired on ${new Date(leaf.validTo).toISOString()}`);
  if (new Date(leaf.validFrom) > now)
    errors.push(`TLS_CERT_FILE=${JSON.stringify(certFile)}: the certificate is not valid before ${new Date(leaf.validFrom).toISOString()}`);
  if (ca) {
    try {
      new X509Certificate(ca);
    } catch {
      errors.push(`TLS_CA_FILE=${JSON.stringify(caFile)}: is not a PEM certificate`);
    }
  }
  try {
    if (!leaf.checkPrivateKey(createPrivateKey(key)))
      errors.push(`TLS_KEY_FILE=${JSON.stringify(keyFile)}: is not the private key of TLS_CERT_FILE's certificate`);
  } catch {
    errors.push(`TLS_KEY_FILE=${JSON.stringify(keyFile)}: is not a PEM private key (an encrypted key is not supported)`);
  }
  if (errors.length > 0) return { errors };
  try {
    createSecureContext({ cert, key, ca });
  } catch (e) {
    return { errors: [`TLS_CERT_FILE/TLS_KEY_FILE: not usable for TLS (${(e as Error).message})`] };
  }
  return { material: { cert, key, ca, fingerprint256: leaf.fingerprint256 } };
}
