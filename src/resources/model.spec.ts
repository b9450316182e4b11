import { FeedFactory, IFeedHandlers } from './feed';
import { ISampleChannel, ISharedSample, ResourcesModel } from './model';
import { IResources } from './types';

function sample(interval_s = 1, history = false): IResources {
  const now = Date.now() / 1000;
  return {
    sampled_at: now,
    interval_s,
    history_s: 300,
    memory: { used_bytes: 1, total_bytes: 2, source: 'machine' },
    cpu: { percent: 1, count: 1 },
    disk: null,
    gpu: {
      state: 'no_driver',
      message: 'No NVIDIA driver is installed on this machine.',
      driver_version: null,
      read_at: null,
      devices: [],
      holders: []
    },
    tpu: { present: false, devices: [] },
    ...(history
      ? {
          // As the server's: its last point is this sample.
          history: {
            t: [now - interval_s, now],
            memory_used_bytes: [1, 1],
            cpu_percent: [1, 1],
            gpus: []
          }
        }
      : {})
  };
}

const sleep = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));

/** Linked channels, as BroadcastChannel links the tabs of one browser (not to oneself). */
function channels(count: number): ISampleChannel[] {
  const all: ISampleChannel[] = [];
  for (let i = 0; i < count; i++) {
    const channel: ISampleChannel = {
      onmessage: null,
      postMessage: message => {
        for (const other of all) {
          if (other !== channel) {
            setTimeout(() =>
              other.onmessage?.({
                data: message
              } as MessageEvent<ISharedSample>)
            );
          }
        }
      },
      close: () => {
        all.splice(all.indexOf(channel), 1);
      }
    };
    all.push(channel);
  }
  return all;
}

/** A stand-in server feed: every open feed gets a sample every `everyMs`. */
class FakeServer {
  constructor(private everyMs: number) {}

  open: FeedFactory = (handlers: IFeedHandlers) => {
    this.opened++;
    if (this.refuse) {
      setTimeout(() => handlers.closed(false));
      return { close: () => undefined };
    }
    this.feeds.add(handlers);
    const timer = setInterval(
      () => handlers.sample(sample(this.everyMs / 1000)),
      this.everyMs
    );
    setTimeout(() => handlers.sample(sample(this.everyMs / 1000)));
    this.stops.set(handlers, () => {
      clearInterval(timer);
      this.feeds.delete(handlers);
    });
    return { close: () => this.stops.get(handlers)?.() };
  };

  /** The server drops every socket (a restart). */
  dropAll(): void {
    for (const handlers of [...this.feeds]) {
      this.stops.get(handlers)?.();
      handlers.closed(true);
    }
  }

  opened = 0;
  refuse = false;
  feeds = new Set<IFeedHandlers>();
  private stops = new Map<IFeedHandlers, () => void>();
}

function counter(history = false) {
  const asked: boolean[] = [];
  const fetcher = async (withHistory: boolean) => {
    asked.push(withHistory);
    return sample(0.25, history || withHistory);
  };
  return { asked, fetcher };
}

/** Resolves once `done()` holds and still holds half a second later, or after 8 s (the
 * assertions that follow then say what is wrong). */
async function settled(done: () => boolean): Promise<void> {
  const deadline = Date.now() + 8000;
  while (Date.now() < deadline) {
    if (done()) {
      await sleep(500);
      if (done()) {
        return;
      }
    }
    await sleep(100);
  }
}

describe('ResourcesModel', () => {
  it('lets one tab of five hold the feed and share its samples', async () => {
    const server = new FakeServer(250);
    const { asked, fetcher } = counter();
    const tabs = channels(5).map(
      channel => new ResourcesModel(fetcher, channel, server.open)
    );
    // Tabs that started together settle on one leader; the others follow it. (Waited for, not
    // slept: on a loaded machine the election takes longer than its usual second.)
    await settled(() => server.feeds.size === 1 && tabs.some(t => t.hasFeed));
    expect(server.feeds.size).toBe(1);
    expect(tabs.filter(tab => tab.hasFeed)).toHaveLength(1);
    expect(tabs.every(tab => tab.resources !== null)).toBe(true);
    const fetched = asked.length;
    await sleep(1000);
    expect(asked.length).toBe(fetched); // no HTTP polling while the feed delivers
    // When the leader closes, another tab takes the feed over.
    const leader = tabs.find(tab => tab.hasFeed)!;
    leader.dispose();
    tabs.splice(tabs.indexOf(leader), 1);
    await settled(
      () => server.feeds.size === 1 && tabs.filter(t => t.hasFeed).length === 1
    );
    expect(server.feeds.size).toBe(1);
    expect(tabs.filter(tab => tab.hasFeed)).toHaveLength(1);
    tabs.forEach(tab => tab.dispose());
    expect(server.feeds.size).toBe(0);
  }, 30000);

  it('polls over HTTP while the feed fails, and retries it with backoff', async () => {
    const server = new FakeServer(250);
    server.refuse = true;
    const { asked, fetcher } = counter();
    const model = new ResourcesModel(fetcher, null, server.open);
    await sleep(3200);
    // About one HTTP request per 250 ms tick; the feed was tried at 0, ~1 s and ~3 s only.
    expect(asked.length).toBeGreaterThanOrEqual(8);
    expect(server.opened).toBeGreaterThanOrEqual(2);
    expect(server.opened).toBeLessThanOrEqual(3);
    expect(model.resources).not.toBeNull();
    model.dispose();
  });

  it('reconnects after the server drops the feed, polling meanwhile', async () => {
    const server = new FakeServer(250);
    const { asked, fetcher } = counter();
    const model = new ResourcesModel(fetcher, null, server.open);
    await sleep(600);
    expect(model.hasFeed).toBe(true);
    const before = asked.length;
    server.dropAll();
    await sleep(300);
    expect(model.hasFeed).toBe(false);
    expect(asked.length).toBeGreaterThan(before); // the figures do not freeze
    await sleep(1400);
    expect(model.hasFeed).toBe(true);
    expect(server.opened).toBe(2);
    model.dispose();
  });

  it('fetches the history once for the panel, then extends it with pushed samples', async () => {
    const server = new FakeServer(250);
    const { asked, fetcher } = counter();
    const model = new ResourcesModel(fetcher, null, server.open);
    await sleep(400);
    expect(asked).toEqual([false]); // first paint; the feed does the rest
    model.wantHistory = true;
    await sleep(100);
    expect(asked).toEqual([false, true]);
    const length = model.resources!.history!.t.length;
    await sleep(800);
    expect(asked).toEqual([false, true]);
    const history = model.resources!.history!;
    expect(history.t.length).toBeGreaterThanOrEqual(length + 2);
    expect(history.cpu_percent).toHaveLength(history.t.length);
    model.dispose();
  });

  it('closes the feed while the tab is hidden and opens it again when shown', async () => {
    let hidden = false;
    Object.defineProperty(document, 'hidden', {
      configurable: true,
      get: () => hidden
    });
    const server = new FakeServer(250);
    const { fetcher } = counter();
    const model = new ResourcesModel(fetcher, null, server.open);
    await sleep(400);
    expect(server.feeds.size).toBe(1);
    hidden = true;
    document.dispatchEvent(new Event('visibilitychange'));
    expect(server.feeds.size).toBe(0);
    await sleep(600);
    expect(server.feeds.size).toBe(0);
    hidden = false;
    document.dispatchEvent(new Event('visibilitychange'));
    await sleep(100);
    expect(server.feeds.size).toBe(1);
    model.dispose();
    delete (document as { hidden?: boolean }).hidden;
  });

  it('ignores what a tab of an older version broadcasts', async () => {
    const [mine, old] = channels(2);
    const model = new ResourcesModel(counter().fetcher, mine, null);
    await sleep(100);
    old.postMessage(sample() as unknown as ISharedSample); // the former format
    await sleep(50);
    expect(model.error).toBeNull();
    expect(model.resources).not.toBeNull();
    model.dispose();
  });

  it('keeps the last answer and reports the failure', async () => {
    let fail = false;
    const model = new ResourcesModel(
      async () => {
        if (fail) {
          throw new Error('The Jupyter server could not be reached.');
        }
        return sample();
      },
      null,
      null
    );
    await sleep(100);
    fail = true;
    await model.refresh();
    await sleep(100);
    expect(model.error).toBe('The Jupyter server could not be reached.');
    expect(model.resources?.gpu.state).toBe('no_driver');
    model.dispose();
  });
});
