// GET /metrics in Prometheus format, for a configured bearer token or a direct
// loopback connection only.
//
// "Loopback" means the TCP peer is 127.0.0.1/::1 AND the request carries no
// X-Forwarded-For / Forwarded header. A request relayed by a reverse proxy on
// the same machine (deploy/nginx.conf) arrives from loopback too, but on behalf
// of anyone on the internet, so it needs the token. We read the socket address,
// never req.ip, so TRUST_PROXY cannot widen this.
import { timingSafeEqual } from 'node:crypto';
import { Router, type Request } from 'express';
import type { AppDeps } from '../deps.ts';
import { AppError } from '../errors.ts';
import { registerDatabaseGauges } from '../metrics-database.ts';

const LOOPBACK = new Set(['127.0.0.1', '::1', '::ffff:127.0.0.1']);

export function isDirectLoopback(req: Request): boolean {
  const peer = req.socket.remoteAddress ?? '';
  return LOOPBACK.has(peer) && !req.get('x-forwarded-for') && !req.get('forwarded') && !req.get('x-real-ip');
}

function hasToken(req: Request, token: string | undefined): boolean {
  if (!token) return false;
  const header = req.get('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (!m) return false;
  const given = Buffer.from(m[1]!.trim());
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export function metricsRouter(deps: AppDeps): Router {
  const router = Router();
  registerDatabaseGauges(deps.metrics, deps.database);
  router.get('/metrics', async (req, res, next) => {
    res.set('Cache-Control', 'no-store');
    if (!hasToken(req, deps.config.METRICS_TOKEN) && !isDirectLoopback(req)) {
      res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      next(
        new AppError(deps.config.METRICS_TOKEN ? 'unauthenticated' : 'forbidden', 'Metrics need a token.'),
      );
      return;
    }
    res.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics());
  });
  return router;
}
