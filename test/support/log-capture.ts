// A logger whose lines a test can read back (the app's warnings, its "reconnected" notes).
import { Writable } from 'node:stream';
import pino, { type Logger } from 'pino';

export function capturedLogger(level = 'info'): { logger: Logger; lines: string[] } {
  const lines: string[] = [];
  const logger = pino(
    { level },
    new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    }),
  );
  return { logger, lines };
}
