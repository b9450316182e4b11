/**
 * Execution counts of cells whose commands run on the server.
 *
 * A cell that ran gets a count of its own, as any cell does: the kernel is sent the cell as
 * comments in its language (stored in its history, nothing run), and its count is the cell's.
 * For a language whose comments are not known here, the cell shows
 * the kernel's latest count instead, learned from the `execute_input` messages it
 * broadcasts on IOPub for every execution (from any client).
 */
import type { Kernel, KernelMessage } from '@jupyterlab/services';
import type { ISignal } from '@lumino/signaling';

/** The parts of a kernel connection this needs (a `Kernel.IKernelConnection` has them). */
export interface ICountedKernel {
  readonly iopubMessage: ISignal<unknown, KernelMessage.IIOPubMessage>;
  readonly statusChanged: ISignal<unknown, Kernel.Status>;
  readonly disposed: ISignal<unknown, void>;
}

/** Statuses after which the count starts again (or the kernel is gone): forget it. */
const FORGET_ON: ReadonlySet<Kernel.Status> = new Set<Kernel.Status>([
  'starting',
  'restarting',
  'autorestarting',
  'dead',
  'unknown'
]);

/** Line comments by kernel language (`language_info.name`, lower case). */
const LINE_COMMENTS: Record<string, string> = {
  python: '#',
  r: '#',
  julia: '#',
  ruby: '#',
  perl: '#',
  bash: '#',
  sh: '#',
  powershell: '#',
  octave: '%',
  matlab: '%',
  javascript: '//',
  typescript: '//',
  'c++': '//',
  c: '//',
  java: '//',
  scala: '//',
  kotlin: '//',
  go: '//',
  rust: '//',
  'c#': '//',
  csharp: '//',
  sql: '--',
  haskell: '--',
  lua: '--'
};

/** `source` as line comments of `language` (so that the kernel counts it, and runs nothing),
 * or null for a language whose comments are not known. */
export function asComments(source: string, language: string): string | null {
  const marker = LINE_COMMENTS[language.toLowerCase()];
  if (!marker) {
    return null;
  }
  const lines = source.replace(/\n$/, '').split('\n');
  return lines.map(line => `${marker} ${line}`.trimEnd()).join('\n');
}

export class ExecutionCounts {
  /** Start following `kernel` (again is harmless). */
  watch(kernel: ICountedKernel): void {
    if (this._watched.has(kernel)) {
      return;
    }
    this._watched.add(kernel);
    kernel.iopubMessage.connect((_, message) => {
      if (message.header.msg_type === 'execute_input') {
        const content = (message as KernelMessage.IExecuteInputMsg).content;
        this.record(kernel, content.execution_count);
      }
    });
    kernel.statusChanged.connect((_, status) => {
      if (FORGET_ON.has(status)) {
        this._latest.delete(kernel);
      }
    });
    kernel.disposed.connect(() => {
      this._latest.delete(kernel);
      this._watched.delete(kernel);
    });
  }

  /** Note a count the kernel gave (an `execute_input`, or a reply to our own request). */
  record(kernel: ICountedKernel, count: number | null | undefined): void {
    if (typeof count === 'number') {
      this._latest.set(kernel, count);
    }
  }

  /** The kernel's latest count, or undefined while none has been seen since it (re)started. */
  latest(kernel: ICountedKernel): number | undefined {
    return this._latest.get(kernel);
  }

  private _watched = new WeakSet<ICountedKernel>();
  private _latest = new WeakMap<ICountedKernel, number>();
}
