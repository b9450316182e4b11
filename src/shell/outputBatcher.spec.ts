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
});
