/**
 * Pure helpers for showing a transfer's progress (tested in `progress.spec.ts`).
 */
import type { IDriveJob } from './api';

/** Bytes as a person reads them: 1.5 MiB. */
export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`;
}

/** The fraction done (0..1), or undefined while the size is unknown. */
export function jobFraction(job: IDriveJob): number | undefined {
  if (!job.bytes_total) {
    return job.state === 'done' ? 1 : undefined;
  }
  return Math.min(1, job.bytes_done / job.bytes_total);
}

/** One line saying where a transfer is. */
export function jobMessage(job: IDriveJob): string {
  const verb = job.kind === 'open' ? 'Copying from Drive' : 'Saving to Drive';
  switch (job.state) {
    case 'done':
      return job.kind === 'open'
        ? `Copied ${job.name} from Drive to ${job.path}.`
        : `Saved a copy of ${job.name} in Drive.`;
    case 'failed':
      return job.message ?? `${verb} ${job.name} failed.`;
    case 'cancelled':
      return `${verb} ${job.name}: cancelled.`;
    default: {
      const total = job.bytes_total
        ? ` of ${formatBytes(job.bytes_total)}`
        : '';
      return `${verb}: ${job.name} (${formatBytes(job.bytes_done)}${total})`;
    }
  }
}

/** Breadcrumbs of the picker: the folders from My Drive down to the current one. */
export interface ICrumb {
  id: string;
  name: string;
}

/** The crumbs after entering `folder` (or going back to a crumb already shown). */
export function enterFolder(crumbs: ICrumb[], folder: ICrumb): ICrumb[] {
  const existing = crumbs.findIndex(crumb => crumb.id === folder.id);
  return existing >= 0 ? crumbs.slice(0, existing + 1) : [...crumbs, folder];
}
