// What a refused configuration is asserted by: its variable and reason (ConfigError's
// problems), not the English the message says them in.
import { expect } from 'vitest';
import type { ConfigProblem } from '../../src/config.ts';

/** For `toThrow`: a ConfigError that names this problem (among others). */
export function configProblem(problem: ConfigProblem): unknown {
  const problems: unknown = expect.arrayContaining([problem]);
  return expect.objectContaining({ code: 'invalid_config', problems });
}
