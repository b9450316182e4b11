/**
 * Pure formatting of resource figures for the status bar and the panel.
 */
import { IGpuDevice, IResources } from './types';

/** Bytes in binary units with one decimal, e.g. `11.2 GiB`. */
export function formatBytes(bytes: number | null | undefined): string {
  if (bytes === null || bytes === undefined || !Number.isFinite(bytes)) {
    return '–';
  }
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (Math.abs(value) >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** `used / total` as a whole percentage, or null when either is unknown or total is 0. */
export function percentOf(
  used: number | null | undefined,
  total: number | null | undefined
): number | null {
  if (used === null || used === undefined || !total) {
    return null;
  }
  return Math.round((100 * used) / total);
}

/** `3.1 / 24.0 GiB` (the unit of the total, so both read alike). */
export function formatUsage(
  used: number | null | undefined,
  total: number | null | undefined
): string {
  if (used === null || used === undefined || !total) {
    return '–';
  }
  const [totalValue, unit] = formatBytes(total).split(' ');
  const divisor = total / Number(totalValue);
  return `${(used / divisor).toFixed(1)} / ${totalValue} ${unit}`;
}

/**
 * The short text of the status bar item, like Colab's meter. Several GPUs read as one aggregate
 * ("8 GPUs 34% mem, 12% util"): one figure per GPU pushed JupyterLab's own items off the bar.
 */
export function statusSummary(resources: IResources): string {
  const parts: string[] = [];
  if (resources.memory) {
    parts.push(
      `RAM ${percentOf(resources.memory.used_bytes, resources.memory.total_bytes)}%`
    );
  }
  if (resources.disk) {
    parts.push(
      `Disk ${percentOf(resources.disk.used_bytes, resources.disk.total_bytes)}%`
    );
  }
  const devices = resources.gpu.devices;
  if (devices.length === 1) {
    parts.push(gpuSummary('GPU', devices));
  } else if (devices.length > 1) {
    parts.push(gpuSummary(`${devices.length} GPUs`, devices));
  }
  return parts.join(' · ');
}

/**
 * One GPU's figures, or several GPUs' together: memory used of the memory they have, and the mean
 * utilisation of those that report one (a GPU in MIG mode does not).
 */
function gpuSummary(label: string, devices: IGpuDevice[]): string {
  const measured = devices.filter(
    d => d.memory_used_bytes !== null && d.memory_total_bytes
  );
  const memory =
    measured.length === 0
      ? null
      : percentOf(
          sum(measured.map(d => d.memory_used_bytes ?? 0)),
          sum(measured.map(d => d.memory_total_bytes ?? 0))
        );
  const busy = devices
    .map(d => d.utilization_percent)
    .filter((value): value is number => value !== null);
  const figures: string[] = [];
  if (memory !== null) {
    figures.push(`${memory}% mem`);
  }
  if (busy.length > 0) {
    figures.push(`${Math.round(sum(busy) / busy.length)}% util`);
  }
  return figures.length > 0 ? `${label} ${figures.join(', ')}` : `${label} –`;
}

function sum(values: number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

/** The GPU that works hardest: highest utilisation, then most memory used. */
export function busiestGpu(devices: IGpuDevice[]): IGpuDevice | null {
  const load = (d: IGpuDevice): [number, number] => [
    d.utilization_percent ?? -1,
    percentOf(d.memory_used_bytes, d.memory_total_bytes) ?? -1
  ];
  let busiest: IGpuDevice | null = null;
  for (const device of devices) {
    const [util, memory] = load(device);
    const best = busiest ? load(busiest) : null;
    if (!best || util > best[0] || (util === best[0] && memory > best[1])) {
      busiest = device;
    }
  }
  return busiest;
}

/** The status bar item's tooltip: every figure in full. */
export function statusTooltip(resources: IResources): string {
  const lines: string[] = [];
  if (resources.memory) {
    const where =
      resources.memory.source === 'cgroup' ? ' (container limit)' : '';
    lines.push(
      `RAM: ${formatUsage(resources.memory.used_bytes, resources.memory.total_bytes)}${where}`
    );
  }
  if (resources.disk) {
    lines.push(
      `Disk: ${formatUsage(resources.disk.used_bytes, resources.disk.total_bytes)}`
    );
  }
  const devices = resources.gpu.devices;
  if (devices.length > 1) {
    const busiest = busiestGpu(devices);
    const memory = formatUsage(
      sum(devices.map(d => d.memory_used_bytes ?? 0)),
      sum(devices.map(d => d.memory_total_bytes ?? 0))
    );
    const hottest =
      busiest && busiest.utilization_percent !== null
        ? `; busiest: GPU ${busiest.index}, ${busiest.utilization_percent}% busy`
        : '';
    lines.push(`${devices.length} GPUs: ${memory}${hottest}`);
  }
  for (const device of devices) {
    lines.push(
      `GPU ${device.index} ${device.name}: ${formatUsage(device.memory_used_bytes, device.memory_total_bytes)}` +
        (device.utilization_percent === null
          ? ''
          : `, ${device.utilization_percent}% busy`)
    );
  }
  if (resources.gpu.state !== 'ok' && resources.gpu.message) {
    lines.push(resources.gpu.message);
  }
  lines.push('Click for details');
  return lines.join('\n');
}

/** The notebook (or process) that holds GPU memory, for the process table. */
export function holderLabel(holder: {
  notebook_path: string | null;
  kernel_id: string | null;
  kernel_name: string | null;
  process_name: string | null;
  pids: number[];
}): string {
  if (holder.notebook_path) {
    return holder.notebook_path;
  }
  if (holder.kernel_id) {
    return `Kernel ${holder.kernel_name ?? ''} ${holder.kernel_id.slice(0, 8)} (no notebook)`.replace(
      '  ',
      ' '
    );
  }
  const name = holder.process_name ?? 'Another process';
  return `${name} (pid ${holder.pids.join(', ')})`;
}
