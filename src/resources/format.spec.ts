import {
  busiestGpu,
  formatBytes,
  formatUsage,
  holderLabel,
  percentOf,
  statusSummary,
  statusTooltip
} from './format';
import { IGpuDevice, IResources } from './types';

const GiB = 1024 ** 3;

function device(overrides: Partial<IGpuDevice> = {}): IGpuDevice {
  return {
    index: 0,
    name: 'NVIDIA H100 80GB HBM3',
    uuid: 'GPU-1',
    memory_used_bytes: 12 * GiB,
    memory_total_bytes: 80 * GiB,
    utilization_percent: 37,
    memory_utilization_percent: 10,
    temperature_c: 51,
    power_w: 250,
    power_limit_w: 700,
    mig_enabled: false,
    pcie_tx_kbps: null,
    pcie_rx_kbps: null,
    unavailable: {},
    ...overrides
  };
}

function resources(devices: IGpuDevice[], state = 'ok'): IResources {
  return {
    sampled_at: 0,
    interval_s: 1,
    memory: { used_bytes: 6 * GiB, total_bytes: 24 * GiB, source: 'cgroup' },
    cpu: { percent: 12, count: 2 },
    disk: { used_bytes: 40 * GiB, total_bytes: 100 * GiB },
    gpu: {
      state: state as IResources['gpu']['state'],
      message: state === 'ok' ? null : 'The NVIDIA driver is slow.',
      driver_version: '550',
      read_at: 0,
      devices,
      holders: []
    },
    tpu: { present: false, devices: [] }
  };
}

describe('formatting figures', () => {
  it('writes bytes in binary units', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(11.2 * GiB)).toBe('11.2 GiB');
    expect(formatBytes(null)).toBe('–');
  });

  it('writes usage in the unit of the total', () => {
    expect(formatUsage(512 * 1024 ** 2, 24 * GiB)).toBe('0.5 / 24.0 GiB');
    expect(formatUsage(1, 0)).toBe('–');
    expect(percentOf(1, 4)).toBe(25);
    expect(percentOf(null, 4)).toBeNull();
  });

  it('summarises RAM, disk and the GPU for the status bar', () => {
    expect(statusSummary(resources([device()]))).toBe(
      'RAM 25% · Disk 40% · GPU 15% mem, 37% util'
    );
  });

  it('sums several GPUs up in one figure, leaving out what a MIG GPU lacks', () => {
    const mig = device({
      index: 1,
      uuid: 'GPU-2',
      memory_used_bytes: 28 * GiB,
      utilization_percent: null
    });
    expect(statusSummary(resources([device(), mig]))).toBe(
      'RAM 25% · Disk 40% · 2 GPUs 25% mem, 37% util'
    );
  });

  it('keeps the status bar text short with 8 GPUs (#16)', () => {
    const eight = Array.from({ length: 8 }, (_, index) =>
      device({
        index,
        uuid: `GPU-${index}`,
        memory_used_bytes: index * 10 * GiB,
        utilization_percent: index * 10
      })
    );
    const summary = statusSummary(resources(eight));
    expect(summary).toBe('RAM 25% · Disk 40% · 8 GPUs 44% mem, 35% util');
    expect(summary.length).toBeLessThan(60);
    // The details stay in the tooltip: the aggregate, the busiest GPU, and every GPU.
    const tip = statusTooltip(resources(eight));
    expect(tip).toContain(
      '8 GPUs: 280.0 / 640.0 GiB; busiest: GPU 7, 70% busy'
    );
    expect(tip).toContain('GPU 7 NVIDIA H100 80GB HBM3: 70.0 / 80.0 GiB');
    expect(
      tip.split('\n').filter(line => line.startsWith('GPU '))
    ).toHaveLength(8);
  });

  it('says a dash when no GPU gives a figure', () => {
    const blank = device({
      memory_used_bytes: null,
      utilization_percent: null
    });
    expect(statusSummary(resources([blank, { ...blank, index: 1 }]))).toBe(
      'RAM 25% · Disk 40% · 2 GPUs –'
    );
  });

  it('finds the busiest GPU by utilisation, then memory', () => {
    const idle = device({ index: 0, utilization_percent: 5 });
    const hot = device({ index: 1, utilization_percent: 90 });
    const full = device({
      index: 2,
      utilization_percent: 90,
      memory_used_bytes: 70 * GiB
    });
    expect(busiestGpu([idle, hot, full])?.index).toBe(2);
    expect(busiestGpu([])).toBeNull();
  });

  it('puts the driver state and the container limit in the tooltip', () => {
    const tip = statusTooltip(resources([device()], 'slow'));
    expect(tip).toContain('RAM: 6.0 / 24.0 GiB (container limit)');
    expect(tip).toContain('GPU 0 NVIDIA H100 80GB HBM3: 12.0 / 80.0 GiB');
    expect(tip).toContain('The NVIDIA driver is slow.');
  });

  it('labels holders by notebook, then kernel, then process', () => {
    const base = {
      kernel_id: null,
      kernel_name: null,
      notebook_path: null,
      process_name: null,
      pids: [42]
    };
    expect(holderLabel({ ...base, notebook_path: 'a/analysis.ipynb' })).toBe(
      'a/analysis.ipynb'
    );
    expect(
      holderLabel({
        ...base,
        kernel_id: 'abcdef123456',
        kernel_name: 'python3'
      })
    ).toBe('Kernel python3 abcdef12 (no notebook)');
    expect(holderLabel(base)).toBe('Another process (pid 42)');
  });
});
