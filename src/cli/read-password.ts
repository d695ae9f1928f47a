// A password for the account CLIs: typed at a terminal without echo (asked
// twice), or read from stdin's first line when piped (for scripts).
import { stdin, stderr } from 'node:process';

/** What the terminal shows; tests look for these rather than spelling them again. */
export const PASSWORD_PROMPTS = {
  first: 'Password (at least 12 characters): ',
  repeat: 'Repeat the password: ',
} as const;

/** An error with the stable code runCli prints (`error=<code>`). */
const coded = (code: string, message: string) => Object.assign(new Error(message), { code });

function readHidden(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    // Echo off before the prompt shows, so nothing typed after it is echoed.
    stdin.setRawMode(true);
    stderr.write(prompt);
    let value = '';
    stdin.resume();
    stdin.setEncoding('utf8');
    const done = (err?: Error) => {
      stdin.setRawMode(false);
      stdin.pause();
      stdin.off('data', onData);
      stderr.write('\n');
      if (err) reject(err);
      else resolve(value);
    };
    const onData = (chunk: string) => {
      for (const ch of chunk) {
        if (ch === '\r' || ch === '\n') return done();
        if (ch === '\u0003' || ch === '\u0004') return done(coded('cancelled', 'cancelled'));
        if (ch === '\u007f' || ch === '\b') value = value.slice(0, -1);
        else value += ch;
      }
    };
    stdin.on('data', onData);
  });
}

async function readPiped(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stdin) chunks.push(Buffer.from(chunk as Buffer));
  const text = Buffer.concat(chunks).toString('utf8');
  return text.split(/\r?\n/)[0] ?? '';
}

export async function readNewPassword(): Promise<string> {
  if (!stdin.isTTY) return readPiped();
  const first = await readHidden(PASSWORD_PROMPTS.first);
  const second = await readHidden(PASSWORD_PROMPTS.repeat);
  if (first !== second) throw coded('passwords_differ', 'The two passwords differ.');
  return first;
}
