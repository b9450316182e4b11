/**
 * Output of a command arrives in many small pieces; rendering each one would freeze the page on a
 * flood. The batcher gathers pieces and hands them on at most once per interval, adjacent pieces
 * of the same stream joined. Pure (a clock and a sink are given), so it is tested on its own.
 */

/** Waits between hand-overs last this many times the previous render. */
const RENDER_SHARE = 4;

export type StreamName = 'stdout' | 'stderr';

export interface IStreamChunk {
  stream: StreamName;
  text: string;
}

export class OutputBatcher {
  /**
   * @param sink gets the gathered chunks, in order.
   * @param intervalMs the most often the sink is called while output flows.
   * @param schedule runs a callback later (a timer; tests pass their own).
   */
  constructor(
    private readonly sink: (chunks: IStreamChunk[]) => void,
    private readonly intervalMs = 50,
    private readonly schedule: (callback: () => void, ms: number) => unknown = (
      callback,
      ms
    ) => setTimeout(callback, ms),
    private readonly now: () => number = () => performance.now(),
    private readonly maxChars = 32 * 1024
  ) {
    this._delay = intervalMs;
  }

  /** Queue a piece of output. */
  push(stream: StreamName, text: string): void {
    if (text === '') {
      return;
    }
    const last = this._chunks[this._chunks.length - 1];
    if (last && last.stream === stream) {
      last.text += text;
    } else {
      this._chunks.push({ stream, text });
    }
    if (!this._scheduled) {
      this._scheduleFlush();
    }
  }

  private _scheduleFlush(): void {
    this._scheduled = true;
    this.schedule(() => this.flush(), this._delay);
  }

  /**
   * Hand queued output to the sink: at most `maxChars` per call, so that one update never blocks
   * the page for long; the rest follows on the next turns.
   */
  flush(): void {
    this._scheduled = false;
    if (this._chunks.length === 0) {
      return;
    }
    const chunks = this._take(this.maxChars);
    const start = this.now();
    this.sink(chunks);
    // Rendering a stream costs more as it grows (the whole text is rendered again): wait a few
    // times as long as the last render took, so the page keeps most of its time for the user.
    this._delay = Math.max(
      this.intervalMs,
      RENDER_SHARE * (this.now() - start)
    );
    if (this._chunks.length > 0) {
      this._scheduleFlush();
    }
  }

  /** Hand over everything queued, a part per turn; resolves when nothing is left. */
  async drain(): Promise<void> {
    while (this._chunks.length > 0) {
      this.flush();
      if (this._chunks.length > 0) {
        await new Promise<void>(resolve => this.schedule(resolve, 0));
      }
    }
  }

  /** Queued chunks up to `max` characters, a chunk cut at its last line end within the budget. */
  private _take(max: number): IStreamChunk[] {
    const taken: IStreamChunk[] = [];
    let budget = max;
    while (this._chunks.length > 0 && budget > 0) {
      const chunk = this._chunks[0];
      if (chunk.text.length <= budget) {
        taken.push(this._chunks.shift()!);
        budget -= chunk.text.length;
        continue;
      }
      const cut = chunk.text.lastIndexOf('\n', budget - 1) + 1 || budget;
      taken.push({ stream: chunk.stream, text: chunk.text.slice(0, cut) });
      chunk.text = chunk.text.slice(cut);
      break;
    }
    return taken;
  }

  /** The wait before the next hand-over, in ms. */
  get delay(): number {
    return this._delay;
  }

  private _chunks: IStreamChunk[] = [];
  private _scheduled = false;
  private _delay: number;
}
