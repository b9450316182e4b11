import { CellQueue } from './cellQueue';

function deferred() {
  let resolve!: (ok: boolean) => void;
  const promise = new Promise<boolean>(r => (resolve = r));
  return { promise, resolve };
}

const tick = () => new Promise(resolve => setTimeout(resolve, 0));

describe('CellQueue', () => {
  it('starts kernel cells at once while no shell cell is ahead', async () => {
    const queue = new CellQueue();
    const started: string[] = [];
    const a = deferred();
    const b = deferred();
    void queue.schedule(
      false,
      () => (started.push('a'), a.promise),
      () => false
    );
    void queue.schedule(
      false,
      () => (started.push('b'), b.promise),
      () => false
    );
    await tick();
    expect(started).toEqual(['a', 'b']);
  });

  it('makes a shell cell wait for the cells before it, and later cells wait for it', async () => {
    const queue = new CellQueue();
    const started: string[] = [];
    const kernel = deferred();
    const shell = deferred();
    void queue.schedule(
      false,
      () => (started.push('kernel'), kernel.promise),
      () => false
    );
    void queue.schedule(
      true,
      () => (started.push('shell'), shell.promise),
      () => false
    );
    const after = queue.schedule(
      false,
      async () => (started.push('after'), true),
      () => false
    );
    await tick();
    expect(started).toEqual(['kernel']);
    kernel.resolve(true);
    await tick();
    expect(started).toEqual(['kernel', 'shell']);
    shell.resolve(true);
    expect(await after).toBe(true);
    expect(started).toEqual(['kernel', 'shell', 'after']);
  });

  it('skips cells that waited behind a failure, but not cells run later', async () => {
    const queue = new CellQueue();
    const shell = deferred();
    const skipped: string[] = [];
    void queue.schedule(
      true,
      () => shell.promise,
      () => false
    );
    const behind = queue.schedule(
      false,
      async () => true,
      () => (skipped.push('behind'), false)
    );
    shell.resolve(false);
    expect(await behind).toBe(false);
    expect(skipped).toEqual(['behind']);
    expect(
      await queue.schedule(
        true,
        async () => true,
        () => false
      )
    ).toBe(true);
  });
});
