/**
 * Transport security at the edge: which proxies to believe, and the headers every response
 * carries.
 *
 * Behind a TLS-terminating reverse proxy the server sees plain HTTP from the proxy's address.
 * Only when the operator says which proxy to trust (`trustProxy`) do `X-Forwarded-Proto` and
 * `X-Forwarded-For` count: then the session cookie is `Secure` when the client used HTTPS, HSTS is
 * sent, and rate limits count the real client (`request.ip`). Left off, those headers are ignored,
 * since any client can send them.
 *
 * @example
 * parseTrustProxy(process.env.SPROUT_TRUST_PROXY); // false | true | 1 | ['10.0.0.0/8']
 */
import type { FastifyInstance } from 'fastify';
import { ValidationError } from '../errors.js';

/** What Fastify's `trustProxy` accepts that Sprout offers: off, every hop, a hop count, or proxy addresses/CIDRs. */
export type TrustProxy = boolean | number | readonly string[];

/** One year, with subdomains: the value the HSTS preload list asks for (less `preload`, the bank's call). */
export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Reads a `--trust-proxy` / `SPROUT_TRUST_PROXY` value: absent, empty or `false` is off; `true`
 * trusts every hop (only when nothing but the proxy can reach the server); a whole number trusts
 * that many hops; otherwise a comma-separated list of proxy addresses or CIDR ranges.
 *
 * @example
 * parseTrustProxy('10.0.0.1, 10.0.0.0/8'); // ['10.0.0.1', '10.0.0.0/8']
 */
export function parseTrustProxy(text: string | undefined): TrustProxy {
  const value = (text ?? '').trim();
  if (value === '' || value === 'false') return false;
  if (value === 'true') return true;
  if (/^[0-9]{1,2}$/.test(value)) return Number(value);
  const entries = value.split(',', 64).map((entry) => entry.trim());
  for (const entry of entries) {
    if (!/^[0-9a-fA-F.:]{2,45}(\/[0-9]{1,3})?$/.test(entry)) throw new ValidationError('trustProxy', `must be true, false, a hop count or proxy addresses/CIDR ranges separated by commas; got "${entry}"`);
  }
  return entries;
}

/** Fastify's form of the setting: a hop count becomes proxy-addr's "trust the first n hops". */
export function fastifyTrustProxy(setting: TrustProxy | undefined): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (setting === undefined) return false;
  if (typeof setting === 'number') return (_address: string, hop: number) => hop < setting;
  return typeof setting === 'boolean' ? setting : [...setting];
}

/**
 * Every response says `X-Content-Type-Options: nosniff` (a JSON error is never run as script or
 * style); a response to a request that came over HTTPS (directly, or through a trusted proxy)
 * carries HSTS so the browser never tries plain HTTP again. HSTS over plain HTTP is ignored by
 * browsers (RFC 6797 §8.1), so it is not sent there.
 */
export function installSecurityHeaders(app: FastifyInstance): void {
  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    if (request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    return payload;
  });
}
