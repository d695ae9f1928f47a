import pino, { type Logger } from 'pino';

export type { Logger };

export function createLogger(level: string): Logger {
  return pino({
    level,
    base: { service: 'corridor', pid: process.pid },
    redact: {
      paths: ['req.headers.cookie', 'req.headers.authorization', '*.password', '*.email'],
      remove: true,
    },
  });
}

export const silentLogger: Logger = pino({ level: 'silent' });
