/**
 * Output of a command arrives in many small pieces; rendering each one would freeze the page on a
 * flood. The batcher gathers pieces and hands them on at most once per interval, adjacent pieces
 * of the same stream joined. Pure (a clock and a sink are given), so it is tested on its own.
 */

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
    ) => setTimeout(callback, ms)
  ) {}

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
      this._scheduled = true;
      this.schedule(() => this.flush(), this.intervalMs);
    }
  }

  /** Hand everything queued to the sink now (on exit, before a note). */
  flush(): void {
    this._scheduled = false;
    if (this._chunks.length === 0) {
      return;
    }
    const chunks = this._chunks;
    this._chunks = [];
    this.sink(chunks);
  }

  private _chunks: IStreamChunk[] = [];
  private _scheduled = false;
}
