import {
  describeCpus,
  describeGpus,
  formatBytes,
  formatDuration,
  IAboutRuntime,
  IGpuProbe
} from './about';

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [1536, '1.5 KiB'],
    [16 * 1024 ** 3, '16.0 GiB'],
    [250 * 1024 ** 3, '250 GiB'],
    [2.5 * 1024 ** 4, '2.5 TiB']
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0 s'],
    [45.7, '45 s'],
    [192, '3 min 12 s'],
    [7500, '2 h 5 min'],
    [3600, '1 h'],
    [273600, '3 d 4 h']
  ])('%d seconds read as %s', (seconds, text) => {
    expect(formatDuration(seconds)).toBe(text);
  });
});

const gpu = (over: Partial<IGpuProbe>): IGpuProbe => ({
  driver_present: true,
  driver_version: '550.54',
  gpu_names: [],
  gpu_count: 0,
  problem: null,
  ...over
});

describe('describeGpus', () => {
  it('counts GPUs and names the driver', () => {
    expect(describeGpus(gpu({ gpu_names: ['A', 'B'], gpu_count: 2 }))).toBe(
      '2 GPUs (driver 550.54)'
    );
    expect(describeGpus(gpu({ gpu_names: ['A'], gpu_count: 1 }))).toBe(
      '1 GPU (driver 550.54)'
    );
  });

  it('says there is a driver but no GPU', () => {
    expect(describeGpus(gpu({}))).toBe('No GPU (driver 550.54)');
  });

  it("gives the server's reason when there is no driver", () => {
    expect(
      describeGpus(
        gpu({
          driver_present: false,
          driver_version: null,
          problem: 'No NVIDIA driver is installed.'
        })
      )
    ).toBe('No NVIDIA driver is installed.');
  });
});

describe('describeCpus', () => {
  const about = (cpu: number, machine: number | null) =>
    ({ cpu_count: cpu, cpu_count_machine: machine }) as IAboutRuntime;

  it('shows the machine count only when this server gets fewer', () => {
    expect(describeCpus(about(8, 8))).toBe('8');
    expect(describeCpus(about(2, 64))).toBe('2 of 64');
    expect(describeCpus(about(4, null))).toBe('4');
  });
});
