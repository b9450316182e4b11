import { IStreamChunk, OutputBatcher } from './outputBatcher';

describe('OutputBatcher', () => {
  function setup() {
    const delivered: IStreamChunk[][] = [];
    const timers: (() => void)[] = [];
    const batcher = new OutputBatcher(
      chunks => delivered.push(chunks),
      50,
      callback => timers.push(callback)
    );
    return { batcher, delivered, timers };
  }

  it('joins a flood into one delivery per interval, in order', () => {
    const { batcher, delivered, timers } = setup();
    for (let i = 0; i < 1000; i++) {
      batcher.push('stdout', `${i}\n`);
    }
    batcher.push('stderr', 'warn\n');
    batcher.push('stdout', 'end\n');
    expect(delivered).toEqual([]);
    expect(timers).toHaveLength(1);
    timers[0]();
    expect(delivered).toHaveLength(1);
    expect(delivered[0].map(c => c.stream)).toEqual([
      'stdout',
      'stderr',
      'stdout'
    ]);
    expect(delivered[0][0].text.split('\n')).toHaveLength(1001);
  });

  it('flushes at once when asked, and schedules again afterwards', () => {
    const { batcher, delivered, timers } = setup();
    batcher.push('stdout', 'a');
    batcher.flush();
    expect(delivered).toEqual([[{ stream: 'stdout', text: 'a' }]]);
    timers[0]();
    expect(delivered).toHaveLength(1);
    batcher.push('stdout', 'b');
    expect(timers).toHaveLength(2);
  });

  it('waits longer between hand-overs when rendering got slow', () => {
    let clock = 0;
    const timers: number[] = [];
    const batcher = new OutputBatcher(
      () => (clock += 300), // the sink (rendering) takes 300 ms
      50,
      (_callback, ms) => timers.push(ms),
      () => clock
    );
    batcher.push('stdout', 'a');
    batcher.flush();
    batcher.push('stdout', 'b');
    expect(timers).toEqual([50, 1200]);
    expect(batcher.delay).toBe(1200);
  });
});

describe('OutputBatcher with a budget', () => {
  it('hands a flood over in parts cut at line ends, and drains it all', async () => {
    const delivered: IStreamChunk[][] = [];
    const batcher = new OutputBatcher(
      chunks => delivered.push(chunks),
      50,
      (callback, ms) => setTimeout(callback, 0),
      () => 0,
      10
    );
    batcher.push('stdout', 'aaaa\nbbbb\ncccc\n');
    batcher.push('stderr', 'e\n');
    batcher.flush();
    expect(delivered[0]).toEqual([{ stream: 'stdout', text: 'aaaa\nbbbb\n' }]);
    await batcher.drain();
    const all = delivered.flat();
    expect(all.map(c => c.text).join('')).toBe('aaaa\nbbbb\ncccc\ne\n');
    expect(all.every(c => c.text.length <= 10)).toBe(true);
    expect(all[all.length - 1]).toEqual({ stream: 'stderr', text: 'e\n' });
  });
});
