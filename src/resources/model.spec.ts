import { ResourcesModel } from './model';
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

describe('ResourcesModel', () => {
  it('asks for the history only while the panel wants it', async () => {
    const asked: boolean[] = [];
    const model = new ResourcesModel(async history => {
      asked.push(history);
      return sample();
    });
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
    });
    await nextChange(model);
    fail = true;
    await model.refresh();
    await nextChange(model);
    expect(model.error).toBe('The Jupyter server could not be reached.');
    expect(model.resources?.gpu.state).toBe('no_driver');
    model.dispose();
  });
});
