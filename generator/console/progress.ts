// Progress of a batch (workbooks written, files read) on stderr: a bar on a terminal; in a log or
// a pipe, numbered lines, so a long run shows it is alive — or nothing where stdout is itself the
// report being read (`kaohe check`).
import cliProgress from 'cli-progress';

export interface Progress {
  tick(label: string): void;
  stop(): void;
}

export type ErrStream = NodeJS.WritableStream & { isTTY?: boolean };

/** Below this many items a bar only flickers. */
const MIN_FOR_BAR = 5;

export function progress(title: string, total: number, options: { stream?: ErrStream; lines?: boolean } = {}): Progress {
  const stream = options.stream ?? process.stderr;
  if (stream.isTTY && total >= MIN_FOR_BAR) {
    const bar = new cliProgress.SingleBar(
      { stream, format: `${title} [{bar}] {value}/{total} {label}`, hideCursor: true, clearOnComplete: true },
      cliProgress.Presets.shades_classic,
    );
    bar.start(total, 0, { label: '' });
    return { tick: (label) => bar.increment(1, { label }), stop: () => bar.stop() };
  }
  if (stream.isTTY || options.lines === false) return { tick: () => undefined, stop: () => undefined };
  let done = 0;
  return { tick: (label) => void stream.write(`[${++done}/${total}] ${label}\n`), stop: () => undefined };
}
