/**
 * Keeps a notebook's cells in the order they were run. Kernel cells are queued by the kernel
 * itself, but shell commands run on the server beside it: a shell cell must wait for the cells run
 * before it, and cells run after it must wait for it. Cells with nothing for the shell go straight
 * to the kernel while no shell cell is ahead of them, so plain notebooks keep their speed.
 *
 * As the kernel does with `stop_on_error`, a cell that was waiting behind one that failed is
 * skipped.
 */

interface ILink {
  done: Promise<boolean>;
  settled: boolean;
}

function link(done: Promise<boolean>): ILink {
  const entry: ILink = { done, settled: false };
  const settle = () => {
    entry.settled = true;
  };
  done.then(settle, settle);
  return entry;
}

export class CellQueue {
  /**
   * Schedule a cell.
   *
   * @param usesShell whether the cell (may) run shell commands.
   * @param run runs the cell; resolves to whether it succeeded.
   * @param skip called instead of `run` when a cell ahead failed; resolves to false.
   */
  schedule(
    usesShell: boolean,
    run: () => Promise<boolean>,
    skip: () => boolean
  ): Promise<boolean> {
    const previous = this._last;
    const waits = usesShell || this._shellAhead > 0;
    if (usesShell) {
      this._shellAhead++;
    }
    const done = (async () => {
      try {
        if (waits && !previous.settled) {
          const ok = await previous.done.catch(() => false);
          if (!ok) {
            return skip();
          }
        }
        return await run();
      } finally {
        if (usesShell) {
          this._shellAhead--;
        }
      }
    })();
    const own = link(done);
    // A cell that did not wait runs beside those before it: the next waiter waits for all.
    this._last = waits
      ? own
      : link(
          Promise.all([
            previous.done.catch(() => false),
            done.catch(() => false)
          ]).then(results => results.every(Boolean))
        );
    return done;
  }

  private _last: ILink = link(Promise.resolve(true));
  private _shellAhead = 0;
}
