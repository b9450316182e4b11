/**
 * Runtime types: the server's answers (see `colab_ext/openapi.yaml`) and the notebook metadata
 * that records the choice with Colab's own keys, so a notebook saved here opens on a GPU in
 * Colab and the other way round. Pure logic, tested in `runtimeType.spec.ts`.
 */

/** One choice of the picker, with whether the server can give it now. */
export interface IRuntimeTypeOption {
  id: string;
  label: string;
  accelerator: 'cpu' | 'gpu' | 'tpu';
  gpus: number;
  description: string;
  builtin: boolean;
  available: boolean;
  reason: string | null;
}

/** One GPU of the server with its load. */
export interface IGpuChoice {
  index: number;
  name: string;
  short_name: string;
  uuid: string;
  memory_total_bytes: number | null;
  memory_free_bytes: number | null;
  runtimes: number;
  available: boolean;
}

/** `GET runtime/types`. */
export interface IRuntimeTypes {
  types: IRuntimeTypeOption[];
  gpus: IGpuChoice[];
  gpu_problem: string | null;
  exclusive: boolean;
  gateway: boolean;
}

/** A GPU a kernel runs on. */
export interface IKernelGpu {
  index: number;
  name: string;
  short_name: string;
  uuid: string;
}

/** `GET runtime/kernels/{id}/type`: what a kernel runs as. */
export interface IKernelRuntime {
  kernel_id: string;
  type: string | null;
  label: string;
  accelerator: 'cpu' | 'gpu' | 'tpu' | null;
  gpus: IKernelGpu[];
  summary: string;
  gateway: boolean;
  /** A local kernel with no `CUDA_VISIBLE_DEVICES`: it sees every GPU (`gpus` is empty). */
  sees_all_gpus?: boolean;
}

/**
 * The picker's value for "Server default": a kernel started without a runtime type (by the
 * REST API, another client, or before the notebook asked for one), kept as it is.
 */
export const SERVER_DEFAULT = '';

/** What the user picked in the dialog: a type, and GPU UUIDs when not "any free GPU". */
export interface IRuntimeChoice {
  type: string;
  gpus: string[];
}

/** The metadata keys to set (a value) or delete (`undefined`). */
export type MetadataChanges = Record<string, unknown>;

type Json = Record<string, unknown>;

function asObject(value: unknown): Json {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? { ...(value as Json) }
    : {};
}

/**
 * The type a notebook's metadata asks for: colab-ext's own key, then Colab's, then Kaggle's.
 * Mirrors `colab_ext/runtime/metadata.py`, which the server uses when it starts the kernel.
 */
export function requestedType(metadata: Json): string | null {
  const ours = asObject(metadata.colab_ext);
  if (typeof ours.runtime_type === 'string' && ours.runtime_type) {
    return ours.runtime_type;
  }
  const accelerator = metadata.accelerator;
  if (typeof accelerator === 'string') {
    const upper = accelerator.toUpperCase();
    if (upper === 'GPU') {
      return 'gpu';
    }
    if (upper === 'TPU') {
      return 'tpu';
    }
  }
  const kaggle = asObject(metadata.kaggle);
  if (typeof kaggle.accelerator === 'string') {
    const lower = kaggle.accelerator.toLowerCase();
    if (lower.includes('tpu')) {
      return 'tpu';
    }
    if (lower === 'gpu' || lower.startsWith('nvidia')) {
      return 'gpu';
    }
    if (lower === 'none') {
      return 'cpu';
    }
  }
  return kaggle.isGpuEnabled === true ? 'gpu' : null;
}

/**
 * The metadata that records a runtime: `accelerator` and `colab.gpuType` as Colab writes them,
 * and `colab_ext.runtime_type` (plus the GPU when one was picked by hand) for what Colab has no
 * key for. Other keys under `colab` and `colab_ext` are kept.
 */
export function runtimeMetadata(
  metadata: Json,
  runtime: Pick<IKernelRuntime, 'type' | 'accelerator' | 'gpus'>,
  pinned: boolean
): MetadataChanges {
  const colab = asObject(metadata.colab);
  const ours = asObject(metadata.colab_ext);
  let accelerator: string | undefined;
  if (runtime.accelerator === 'gpu') {
    accelerator = 'GPU';
    if (runtime.gpus.length > 0) {
      colab.gpuType = runtime.gpus[0].short_name;
    }
  } else {
    delete colab.gpuType;
    accelerator = runtime.accelerator === 'tpu' ? 'TPU' : undefined;
  }
  if (runtime.type) {
    ours.runtime_type = runtime.type;
  } else {
    delete ours.runtime_type;
  }
  if (pinned && runtime.gpus.length > 0) {
    ours.gpu = { index: runtime.gpus[0].index, name: runtime.gpus[0].name };
  } else {
    delete ours.gpu;
  }
  return {
    accelerator,
    colab: Object.keys(colab).length > 0 ? colab : undefined,
    colab_ext: Object.keys(ours).length > 0 ? ours : undefined
  };
}

/**
 * The option the picker starts on: what the kernel really runs as ("Server default" for a kernel
 * without a runtime type, never a type it does not have), else what the notebook asks for.
 */
export function initialType(
  current: IKernelRuntime | null,
  requested: string | null
): string | null {
  if (current) {
    return current.type ?? SERVER_DEFAULT;
  }
  return requested;
}

/** What a kernel without a runtime type has, for the picker's "Server default" row. */
export function describeServerDefault(
  current: IKernelRuntime,
  serverGpus: number
): string {
  const why = 'started without a runtime type';
  if (current.gpus.length > 0) {
    const seen = current.gpus.map(gpu => `#${gpu.index} ${gpu.short_name}`);
    return `Sees GPU ${seen.join(', ')}; ${why}`;
  }
  if (current.sees_all_gpus && serverGpus > 0) {
    const all = serverGpus === 1 ? 'the GPU' : `all ${serverGpus} GPUs`;
    return `Sees ${all} of this server; ${why}`;
  }
  if (serverGpus > 0 && !current.gateway) {
    return `Sees no GPU; ${why}`;
  }
  return `This kernel was ${why}`;
}

/** Whether applying `choice` changes anything for a kernel running as `current`. */
export function isChange(
  current: IKernelRuntime | null,
  choice: IRuntimeChoice
): boolean {
  if (choice.type === SERVER_DEFAULT) {
    return false; // offered only to keep a kernel started without a type as it is
  }
  if (!current || current.type !== choice.type) {
    return true;
  }
  if (choice.gpus.length === 0) {
    return false; // "any free GPU": the one it has is fine
  }
  const have = current.gpus.map(gpu => gpu.uuid).join(',');
  return have !== choice.gpus.join(',');
}

/** The text of one GPU in the picker: "#0 NVIDIA H100 80GB HBM3 · 79.5 GiB free · 1 runtime". */
export function describeGpu(
  gpu: IGpuChoice,
  formatBytes: (bytes: number) => string
): string {
  const parts = [`#${gpu.index} ${gpu.name}`];
  if (gpu.memory_free_bytes !== null) {
    parts.push(`${formatBytes(gpu.memory_free_bytes)} free`);
  }
  if (gpu.runtimes > 0) {
    parts.push(gpu.runtimes === 1 ? '1 runtime' : `${gpu.runtimes} runtimes`);
  }
  return parts.join(' · ');
}
