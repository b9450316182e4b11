import type { Kernel, KernelMessage } from '@jupyterlab/services';
import { Signal } from '@lumino/signaling';

import { asComments, ExecutionCounts, ICountedKernel } from './executionCount';

/** A kernel connection's signals, driven by the test as the kernel would emit them. */
class SignalsOfAKernel implements ICountedKernel {
  readonly iopubMessage = new Signal<this, KernelMessage.IIOPubMessage>(this);
  readonly statusChanged = new Signal<this, Kernel.Status>(this);
  readonly disposed = new Signal<this, void>(this);

  broadcast(msgType: string, content: Record<string, unknown>): void {
    this.iopubMessage.emit({
      header: { msg_type: msgType },
      content
    } as unknown as KernelMessage.IIOPubMessage);
  }
}

describe('ExecutionCounts', () => {
  it('knows nothing before the kernel ran anything', () => {
    const counts = new ExecutionCounts();
    const kernel = new SignalsOfAKernel();
    counts.watch(kernel);
    expect(counts.latest(kernel)).toBeUndefined();
  });

  it('follows execute_input broadcasts, and nothing else', () => {
    const counts = new ExecutionCounts();
    const kernel = new SignalsOfAKernel();
    counts.watch(kernel);
    counts.watch(kernel); // twice: still one listener
    kernel.broadcast('execute_input', { code: 'x = 1', execution_count: 3 });
    kernel.broadcast('stream', { name: 'stdout', text: '4' });
    expect(counts.latest(kernel)).toBe(3);
    kernel.broadcast('execute_input', { code: 'y', execution_count: 4 });
    expect(counts.latest(kernel)).toBe(4);
  });

  it('forgets the count when the kernel restarts or dies', () => {
    const counts = new ExecutionCounts();
    const kernel = new SignalsOfAKernel();
    counts.watch(kernel);
    kernel.broadcast('execute_input', { code: '', execution_count: 7 });
    kernel.statusChanged.emit('busy');
    kernel.statusChanged.emit('idle');
    expect(counts.latest(kernel)).toBe(7);
    kernel.statusChanged.emit('restarting');
    expect(counts.latest(kernel)).toBeUndefined();
    counts.record(kernel, 0);
    expect(counts.latest(kernel)).toBe(0);
    kernel.statusChanged.emit('dead');
    expect(counts.latest(kernel)).toBeUndefined();
  });

  it('keeps each kernel apart and ignores replies without a count', () => {
    const counts = new ExecutionCounts();
    const first = new SignalsOfAKernel();
    const second = new SignalsOfAKernel();
    counts.watch(first);
    counts.watch(second);
    first.broadcast('execute_input', { code: '', execution_count: 2 });
    counts.record(second, null);
    expect(counts.latest(first)).toBe(2);
    expect(counts.latest(second)).toBeUndefined();
  });
});

describe('asComments', () => {
  it('turns every line into a comment of the kernel language', () => {
    expect(asComments('%%shell\nls -la\n\necho hi\n', 'python')).toBe(
      '# %%shell\n# ls -la\n#\n# echo hi'
    );
    expect(asComments('!ls', 'R')).toBe('# !ls');
    expect(asComments('!ls', 'javascript')).toBe('// !ls');
    expect(asComments('!ls', 'sql')).toBe('-- !ls');
  });

  it('knows when it does not know a language', () => {
    expect(asComments('!ls', 'brainfuck')).toBeNull();
    expect(asComments('!ls', '')).toBeNull();
  });
});
