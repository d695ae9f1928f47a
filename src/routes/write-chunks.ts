// Writing a response as it is made (the staff CSV export), at the pace the client reads:
// the next piece is asked for only once the last one is taken up, so a slow client
// holds one piece in memory, not the whole file. A HEAD gets GET's headers and nothing is made.
import type { Response } from 'express';

/** Waits until the response takes more data, or is gone (the client left). */
const writable = (res: Response) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });

/**
 * Writes every piece, then ends the response. If making a piece fails once the status is
 * sent, the connection is cut (the client sees an incomplete transfer, never a file that
 * looks whole) and the error goes on to the error handler, which logs it.
 */
export async function writeChunks(res: Response, chunks: AsyncIterable<string>): Promise<void> {
  if (res.req.method === 'HEAD') {
    // The headers GET sends, its framing included (RFC 9112 §6.1); no content is made.
    res.setHeader('Transfer-Encoding', 'chunked');
    res.end();
    return;
  }
  try {
    for await (const chunk of chunks) {
      if (res.destroyed) return;
      if (!res.write(chunk)) await writable(res);
    }
    res.end();
  } catch (err) {
    res.destroy();
    throw err;
  }
}
