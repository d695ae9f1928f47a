// Request ids: the caller's when sane (nginx's $request_id), else this process's prefix and
// a count. They must never repeat within a process, and must differ between processes
// (a cluster's workers, a restart) so a log line is found by its id alone.
import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { requestIdFrom } from '../../src/routes/middleware.ts';

describe('request ids', () => {
  it('keeps a sane incoming id and replaces anything else', () => {
    expect(requestIdFrom('nginx-abc.1')).toBe('nginx-abc.1');
    for (const bad of [undefined, '', 'a b', 'x'.repeat(129), 'é', 'id\r\nX-Evil: 1'])
      expect(requestIdFrom(bad)).toMatch(/^[\w-]{12}\.[0-9a-z]+$/);
  });

  it('never repeats within a process', () => {
    const ids = Array.from({ length: 10_000 }, () => requestIdFrom(undefined));
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('differs between processes', () => {
    const script = `import('./src/routes/middleware.ts').then((m) => console.log(m.requestIdFrom(undefined)))`;
    const run = () =>
      execFileSync(process.execPath, ['--import', 'tsx', '-e', script], { encoding: 'utf8' }).trim();
    const [a, b] = [run(), run()];
    expect(a).toMatch(/^[\w-]{12}\.1$/);
    expect(b).toMatch(/^[\w-]{12}\.1$/);
    expect(a).not.toBe(b);
  });
});
