import { ISampleChannel, ResourcesModel } from './model';
import { IResources } from './types';

function sample(interval_s = 1): IResources {
  return {
    sampled_at: Date.now() / 1000,
    interval_s,
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
    tpu: { present: false, devices: [] }
  };
}

/** Resolves after the model has emitted `changed` once more. */
function nextChange(model: ResourcesModel): Promise<void> {
  return new Promise(resolve => {
    const once = () => {
      model.changed.disconnect(once);
      resolve();
    };
    model.changed.connect(once);
  });
}

/** Linked channels, as BroadcastChannel links the tabs of one browser (not to oneself). */
function channels(count: number): ISampleChannel[] {
  const all: ISampleChannel[] = [];
  for (let i = 0; i < count; i++) {
    const channel: ISampleChannel = {
      onmessage: null,
      postMessage: sample => {
        for (const other of all) {
          if (other !== channel) {
            setTimeout(() =>
              other.onmessage?.({ data: sample } as MessageEvent<IResources>)
            );
          }
        }
      },
      close: () => undefined
    };
    all.push(channel);
  }
  return all;
}

describe('ResourcesModel', () => {
  it('shares samples between tabs so the server is asked about once per interval', async () => {
    let asked = 0;
    const fetcher = async () => {
      asked++;
      return sample(0.25);
    };
    const tabs = channels(5).map(
      channel => new ResourcesModel(fetcher, channel)
    );
    await new Promise(resolve => setTimeout(resolve, 2600));
    const intervals = 2600 / 250;
    // Without sharing, five tabs would ask about 5 x intervals times.
    expect(asked).toBeLessThan(2 * intervals);
    // When the tab that asks is closed, another one takes over.
    const asker = tabs.reduce((a, b) => (b.fetched > a.fetched ? b : a));
    asker.dispose();
    tabs.splice(tabs.indexOf(asker), 1);
    const before = asked;
    await new Promise(resolve => setTimeout(resolve, 1000));
    expect(asked).toBeGreaterThan(before);
    expect(tabs.every(tab => tab.resources !== null)).toBe(true);
    tabs.forEach(tab => tab.dispose());
  });

  it('asks for the history only while the panel wants it', async () => {
    const asked: boolean[] = [];
    const model = new ResourcesModel(async history => {
      asked.push(history);
      return sample();
    }, null);
    await nextChange(model);
    model.wantHistory = true;
    await nextChange(model);
    expect(asked[0]).toBe(false);
    expect(asked[asked.length - 1]).toBe(true);
    model.dispose();
  });

  it('keeps the last answer and reports the failure', async () => {
    let fail = false;
    const model = new ResourcesModel(async () => {
      if (fail) {
        throw new Error('The Jupyter server could not be reached.');
      }
      return sample();
    }, null);
    await nextChange(model);
    fail = true;
    await model.refresh();
    await nextChange(model);
    expect(model.error).toBe('The Jupyter server could not be reached.');
    expect(model.resources?.gpu.state).toBe('no_driver');
    model.dispose();
  });
});
