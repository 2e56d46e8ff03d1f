import { LookupAddress, promises as dns } from 'node:dns';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { addressRefusal, AllowedHosts, hostOf, parseWebhookUrl } from './webhook-target';

export interface SendResult {
  ok: boolean;
  statusCode: number | null;
  /** Why it failed, short and without the URL's path (which can be a secret). */
  error: string | null;
  durationMs: number;
}

/** The first address of the host this service may reach, or why none (resolution included). */
export async function resolveAllowed(host: string, allowed: AllowedHosts): Promise<{ address: string; family: 4 | 6 } | { error: string }> {
  let addresses: LookupAddress[];
  if (isIP(host)) addresses = [{ address: host, family: isIP(host) }];
  else {
    try {
      addresses = await dns.lookup(host, { all: true, verbatim: true });
    } catch (e) {
      return { error: `${host} does not resolve (${(e as NodeJS.ErrnoException).code ?? 'error'})` };
    }
  }
  if (!addresses.length) return { error: `${host} does not resolve` };
  // Every address must be allowed: a name that also resolves to an internal address could be
  // steered there by whoever controls its DNS.
  for (const a of addresses) {
    const refusal = addressRefusal(host, a.address, allowed);
    if (refusal) return { error: `${host} resolves to ${refusal}` };
  }
  return { address: addresses[0].address, family: addresses[0].family === 6 ? 6 : 4 };
}

/**
 * POSTs one webhook. The connection goes to the very address that was checked (the lookup
 * below is the only one the socket uses), so a name that resolves differently between check and
 * connect (DNS rebinding) cannot reach an internal address. Redirects are not followed: a 3xx
 * is a failed attempt. The whole attempt, connect to last byte, has one deadline.
 */
export async function sendWebhook(
  target: string,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  allowed: AllowedHosts,
): Promise<SendResult> {
  const started = Date.now();
  const done = (ok: boolean, statusCode: number | null, error: string | null): SendResult => ({ ok, statusCode, error, durationMs: Date.now() - started });
  const parsed = parseWebhookUrl(target);
  if ('error' in parsed) return done(false, null, `url ${parsed.error}`);
  const url = parsed.url;
  const resolved = await resolveAllowed(hostOf(url), allowed);
  if ('error' in resolved) return done(false, null, `refused: ${resolved.error}`);
  const lookup: LookupFunction = (_host, options, callback) => {
    if ((options as { all?: boolean }).all) (callback as unknown as (e: null, a: LookupAddress[]) => void)(null, [resolved]);
    else callback(null, resolved.address, resolved.family);
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<SendResult>((resolve) => {
    let settled = false;
    const finish = (r: SendResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const req = send(
      url,
      {
        method: 'POST',
        lookup,
        // An IP literal is connected to directly (no lookup): it was checked above.
        headers: { ...headers, 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'user-agent': 'iomt-webhooks/1' },
        agent: false,
      },
      (res: IncomingMessage) => {
        const status = res.statusCode ?? 0;
        // The answer's body is not needed; read it (bounded by the deadline) so the socket closes cleanly.
        res.resume();
        res.on('end', () => {
          if (status >= 200 && status < 300) finish(done(true, status, null));
          else if (status >= 300 && status < 400) finish(done(false, status, `answered ${status}: redirects are not followed`));
          else finish(done(false, status, `answered ${status}`));
        });
        res.on('error', (e) => finish(done(false, status, e.message)));
      },
    );
    const timer = setTimeout(() => {
      req.destroy(new Error(`no complete answer within ${timeoutMs} ms`));
    }, timeoutMs);
    req.on('error', (e: NodeJS.ErrnoException) => finish(done(false, null, (e.code ? `${e.code}: ` : '') + e.message)));
    req.end(body);
  });
}
