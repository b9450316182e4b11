/**
 * "About this runtime": the payload the server sends and how its values read to a person.
 * Pure functions only, so that they are tested without a browser.
 */

/** What the NVIDIA driver said, or why it could not be asked. */
export interface IGpuProbe {
  driver_present: boolean;
  driver_version: string | null;
  gpu_names: string[];
  gpu_count: number;
  problem: string | null;
}

/** One running kernel and the notebook it serves, if any. */
export interface IRuntimeKernel {
  id: string;
  name: string;
  display_name: string;
  execution_state: string | null;
  last_activity: string | null;
  connections: number;
  notebook_path: string | null;
}

/** `GET /colab/runtime/about` (see `colab_ext/openapi.yaml`). */
export interface IAboutRuntime {
  python_version: string;
  python_executable: string;
  jupyterlab_version: string | null;
  jupyter_server_version: string | null;
  colab_ext_version: string | null;
  os: string;
  kernel_release: string;
  machine: string;
  cpu_count: number;
  cpu_count_machine: number | null;
  memory_total_bytes: number;
  gpu: IGpuProbe;
  server_uptime_s: number;
  kernels: IRuntimeKernel[];
  /** Kernels run on a remote gateway: the machine above is this server's, not theirs. */
  kernels_remote?: boolean;
}

/** The translation function of a `TranslationBundle` (`trans.__`). */
type Translate = (text: string, ...args: unknown[]) => string;

/**
 * Where each feature stands when kernels run on a cluster gateway, for About this runtime:
 * [data-fact key, label, value] rows. What the server cannot reach is said, not left to be found
 * out from an error in a cell (docs/gateway.md has the details).
 */
export function gatewayFacts(__: Translate): [string, string, string][] {
  return [
    [
      'remote_kernels',
      __('Kernels'),
      __('started by the cluster gateway, on its hosts')
    ],
    [
      'remote_resources',
      __('Resources'),
      __(
        'this server’s machine only: a kernel’s memory and GPUs on the cluster are not visible here'
      )
    ],
    [
      'remote_shell',
      __('! lines'),
      __(
        'run where the kernel runs (Python); off in other kernels, where they would run on this server'
      )
    ],
    [
      'remote_colab',
      __('google.colab'),
      __(
        'only in kernel images that have colab-ext installed and can reach this server'
      )
    ],
    [
      'remote_drive',
      __('Drive'),
      __(
        'mounted on this server: a kernel on another host sees it only if that host mounts the same folder'
      )
    ],
    [
      'remote_idle',
      __('Idle shutdown'),
      __('decided by the gateway’s own settings, which this server cannot read')
    ]
  ];
}

const BYTE_UNITS = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];

/** Bytes in binary units, as `free -h` prints them: `15.6 GiB`. */
export function formatBytes(bytes: number): string {
  let value = Math.max(0, bytes);
  let unit = 0;
  while (value >= 1024 && unit < BYTE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const digits = unit === 0 || value >= 100 ? 0 : 1;
  return `${value.toFixed(digits)} ${BYTE_UNITS[unit]}`;
}

/** A duration in its two largest units: `45 s`, `3 min 12 s`, `2 h 5 min`, `3 d 4 h`. */
export function formatDuration(seconds: number): string {
  const total = Math.max(0, Math.floor(seconds));
  const parts: [number, string][] = [
    [Math.floor(total / 86400), 'd'],
    [Math.floor((total % 86400) / 3600), 'h'],
    [Math.floor((total % 3600) / 60), 'min'],
    [total % 60, 's']
  ];
  const first = parts.findIndex(([value]) => value > 0);
  if (first === -1) {
    return '0 s';
  }
  return parts
    .slice(first, first + 2)
    .filter(([value]) => value > 0)
    .map(([value, unit]) => `${value} ${unit}`)
    .join(' ');
}

/** CPUs this server may use, and the machine's count when a container or taskset limits it. */
export function describeCpus(about: IAboutRuntime): string {
  const machine = about.cpu_count_machine;
  if (machine !== null && machine !== about.cpu_count) {
    return `${about.cpu_count} of ${machine}`;
  }
  return `${about.cpu_count}`;
}

/** One line about the GPUs: `2 GPUs (driver 550.54)`, `No GPU`, or why none could be listed. */
export function describeGpus(gpu: IGpuProbe): string {
  if (!gpu.driver_present) {
    return gpu.problem ?? 'No NVIDIA driver';
  }
  if (gpu.problem) {
    return gpu.problem;
  }
  const driver = gpu.driver_version ? ` (driver ${gpu.driver_version})` : '';
  if (gpu.gpu_count === 0) {
    return `No GPU${driver}`;
  }
  const noun = gpu.gpu_count === 1 ? 'GPU' : 'GPUs';
  return `${gpu.gpu_count} ${noun}${driver}`;
}
