// A writable stream that keeps what a command printed, for tests that read stdout/stderr back.
import { Writable } from 'node:stream';

export function sink(): Writable & { text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, done) {
      chunks.push(String(chunk));
      done();
    },
  });
  return Object.assign(stream, { text: () => chunks.join('') });
}
