// Security headers on every response. The public page uses an inline <style>
// and inline SVG, so styles may be inline; scripts may come only from us.
import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

/**
 * The public outputs load nothing at all: no script, no file, no font — only their own
 * inline style and inline SVG, and the sign-up form posting back here. deploy/nginx.conf
 * sends the same when it serves them as files (a test compares).
 */
export const PUBLIC_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

const PERMISSIONS_POLICY = ['camera=()', 'microphone=()', 'geolocation=()', 'payment=()', 'usb=()'].join(
  ', ',
);

const HEADERS: [string, string][] = [
  ['X-Content-Type-Options', 'nosniff'],
  ['X-Frame-Options', 'DENY'],
  ['Referrer-Policy', 'strict-origin-when-cross-origin'],
  ['Permissions-Policy', PERMISSIONS_POLICY],
  ['Cross-Origin-Opener-Policy', 'same-origin'],
];

/** The same as a flat [name, value, …] list, for writeHead (the public outputs make theirs once). */
export function securityHeaderList(secure: boolean, policy: string = CONTENT_SECURITY_POLICY): string[] {
  return [
    ...HEADERS.flat(),
    'Content-Security-Policy',
    policy,
    ...(secure ? ['Strict-Transport-Security', HSTS] : []),
  ];
}

const HSTS = 'max-age=31536000; includeSubDomains';

/** Sets them on a plain node response too (the public fast path has no express). */
export function applySecurityHeaders(
  res: ServerResponse,
  secure: boolean,
  policy: string = CONTENT_SECURITY_POLICY,
): void {
  for (const [name, value] of HEADERS) res.setHeader(name, value);
  res.setHeader('Content-Security-Policy', policy);
  // Only over TLS: HSTS over plain HTTP is ignored anyway.
  if (secure) res.setHeader('Strict-Transport-Security', HSTS);
}

export const securityHeaders: RequestHandler = (req, res, next) => {
  // req.secure honours TRUST_PROXY.
  applySecurityHeaders(res, req.secure);
  next();
};
