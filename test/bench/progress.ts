// A progress bar on stderr: redrawn in place on a terminal, a line per tenth otherwise.

export interface Progress {
  readonly update: (done: number) => void;
  readonly done: () => void;
}

export function progress(label: string, total: number): Progress {
  const started = Date.now();
  const tty = process.stderr.isTTY === true;
  let shownTenth = -1;
  let last = 0;
  const line = (done: number) => {
    const fraction = total === 0 ? 1 : Math.min(1, done / total);
    const width = 30;
    const filled = Math.round(fraction * width);
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    return `${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${seconds}s`;
  };
  return {
    update: (done) => {
      last = done;
      if (tty) {
        process.stderr.write(`\r${line(done)}`);
        return;
      }
      const tenth = total === 0 ? 10 : Math.floor((10 * done) / total);
      if (tenth > shownTenth) {
        shownTenth = tenth;
        process.stderr.write(`${line(done)}\n`);
      }
    },
    done: () => {
      process.stderr.write(tty ? `\r${line(Math.max(last, total))}\n` : `${line(Math.max(last, total))} done\n`);
    },
  };
}
