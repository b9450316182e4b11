/**
 * The payload of `GET /colab/resources` (see `colab_ext/openapi.yaml`: `Resources`).
 */

/** The driver's state: `slow` means the last answer is shown while it keeps us waiting. */
export type GpuStateName =
  'ok' | 'pending' | 'slow' | 'no_driver' | 'no_gpu' | 'driver_error';

export interface IGpuDevice {
  index: number;
  name: string;
  uuid: string;
  memory_used_bytes: number | null;
  memory_total_bytes: number | null;
  utilization_percent: number | null;
  memory_utilization_percent: number | null;
  temperature_c: number | null;
  power_w: number | null;
  power_limit_w: number | null;
  mig_enabled: boolean | null;
  pcie_tx_kbps: number | null;
  pcie_rx_kbps: number | null;
  /** The MIG instances while MIG is enabled (why not, in `unavailable.mig_devices`). */
  mig_devices?: IMigDevice[];
  /** Field name to why the driver did not give it. */
  unavailable: Record<string, string>;
}

/** One MIG instance of a GPU: memory and UUID; NVML gives no utilisation for it. */
export interface IMigDevice {
  index: number;
  name: string;
  uuid: string;
  memory_used_bytes: number | null;
  memory_total_bytes: number | null;
  utilization_percent: number | null;
  gpu_instance_id?: number | null;
  compute_instance_id?: number | null;
  unavailable: Record<string, string>;
}

export interface IGpuHolder {
  gpu_index: number;
  /** The MIG instance the processes run on, on a GPU in MIG mode. */
  mig_index?: number | null;
  pids: number[];
  used_bytes: number | null;
  kernel_id: string | null;
  kernel_name: string | null;
  notebook_path: string | null;
  process_name: string | null;
}

export interface IGpuState {
  state: GpuStateName;
  message: string | null;
  driver_version: string | null;
  read_at: number | null;
  devices: IGpuDevice[];
  holders: IGpuHolder[];
}

export interface IResourceHistory {
  t: number[];
  memory_used_bytes: (number | null)[];
  cpu_percent: (number | null)[];
  gpus: {
    index: number;
    utilization_percent: (number | null)[];
    memory_used_bytes: (number | null)[];
  }[];
}

export interface IResources {
  sampled_at: number;
  interval_s: number;
  /** Seconds of history the server keeps (and the browser keeps when it appends). */
  history_s?: number;
  memory: {
    used_bytes: number;
    total_bytes: number;
    source: 'cgroup' | 'machine';
  } | null;
  /** `limit`: CPUs the container's quota allows (then `percent` is of that). */
  cpu: { percent: number | null; count: number; limit?: number | null };
  disk: { used_bytes: number; total_bytes: number } | null;
  system_problem?: string | null;
  gpu: IGpuState;
  tpu: { present: boolean; devices: string[] };
  /** Kernels run on a remote gateway: the figures are this server's machine, not theirs. */
  kernels_remote?: boolean;
  history?: IResourceHistory;
}
