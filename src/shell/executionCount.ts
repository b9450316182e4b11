/**
 * The execution count a kernel gave last, learned from the `execute_input` messages it
 * broadcasts on IOPub for every execution (from any client). A cell with only shell commands
 * never runs in the kernel, yet tools (and people) read a cell with a count as run: it shows this
 * count, known without asking the kernel, which would cost a round trip (30-60 ms in JupyterLab,
 * measured) on every `!true`.
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
