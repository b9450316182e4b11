import { appendPoint, hasGap, withHistory } from './history';
import { IGpuDevice, IResourceHistory, IResources } from './types';

function device(index: number, util: number | null, used: number): IGpuDevice {
  return {
    index,
    name: 'GPU',
    uuid: `GPU-${index}`,
    memory_used_bytes: used,
    memory_total_bytes: 100,
    utilization_percent: util,
    memory_utilization_percent: null,
    temperature_c: null,
    power_w: null,
    power_limit_w: null,
    mig_enabled: false,
    pcie_tx_kbps: null,
    pcie_rx_kbps: null,
    unavailable: {}
  };
}

function sample(t: number, devices: IGpuDevice[] = []): IResources {
  return {
    sampled_at: t,
    interval_s: 1,
    history_s: 3,
    memory: { used_bytes: t * 10, total_bytes: 1000, source: 'machine' },
    cpu: { percent: t, count: 2 },
    disk: null,
    gpu: {
      state: 'ok',
      message: null,
      driver_version: '1',
      read_at: t,
      devices,
      holders: []
    },
    tpu: { present: false, devices: [] }
  };
}

const start: IResourceHistory = {
  t: [100, 101],
  memory_used_bytes: [1000, 1010],
  cpu_percent: [100, 101],
  gpus: [{ index: 0, utilization_percent: [5, 6], memory_used_bytes: [50, 60] }]
};

describe('appendPoint', () => {
  it('adds the sample as the newest point of every series', () => {
    const next = appendPoint(start, sample(102, [device(0, 7, 70)]));
    expect(next.t).toEqual([100, 101, 102]);
    expect(next.memory_used_bytes).toEqual([1000, 1010, 1020]);
    expect(next.cpu_percent).toEqual([100, 101, 102]);
    expect(next.gpus).toEqual([
      {
        index: 0,
        utilization_percent: [5, 6, 7],
        memory_used_bytes: [50, 60, 70]
      }
    ]);
    expect(start.t).toEqual([100, 101]); // unchanged
  });

  it("drops points older than the server's window", () => {
    const next = appendPoint(start, sample(104, [device(0, 7, 70)]));
    expect(next.t).toEqual([101, 104]);
    expect(next.gpus[0].utilization_percent).toEqual([6, 7]);
  });

  it('gives a GPU that appeared empty earlier points, and one that left a gap', () => {
    const next = appendPoint(start, sample(102, [device(1, null, 9)]));
    expect(next.gpus).toEqual([
      {
        index: 0,
        utilization_percent: [5, 6, null],
        memory_used_bytes: [50, 60, null]
      },
      {
        index: 1,
        utilization_percent: [null, null, null],
        memory_used_bytes: [null, null, 9]
      }
    ]);
  });

  it('ignores a sample it already has', () => {
    expect(appendPoint(start, sample(101))).toBe(start);
  });
});

describe('withHistory', () => {
  it('keeps an answer that carries its own history', () => {
    const own = { ...sample(102), history: start };
    expect(withHistory(own, undefined)).toBe(own);
  });

  it('leaves a sample alone when there is no history to extend', () => {
    expect(withHistory(sample(102), undefined).history).toBeUndefined();
  });
});

describe('hasGap', () => {
  it('notices samples that stopped for more than three intervals', () => {
    expect(hasGap(sample(102), start)).toBe(false);
    expect(hasGap(sample(105), start)).toBe(true);
  });
});
