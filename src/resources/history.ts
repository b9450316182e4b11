/**
 * The browser keeps the charts' history itself: it fetches the server's history once (first
 * paint of the panel) and appends every pushed sample, which carries no history.
 */
import { IResourceHistory, IResources } from './types';

/** The server's default window, for a server that does not say (`history_s`). */
const DEFAULT_WINDOW_S = 300;

/**
 * `sample` with `previous`'s history extended by the sample's own point, trimmed to the
 * server's window. A sample that already carries a history (an HTTP answer) keeps its own.
 */
export function withHistory(
  sample: IResources,
  previous: IResourceHistory | undefined
): IResources {
  if (sample.history || !previous) {
    return sample;
  }
  return { ...sample, history: appendPoint(previous, sample) };
}

/** `history` with one more point taken from `sample` (a new object; `history` is unchanged). */
export function appendPoint(
  history: IResourceHistory,
  sample: IResources
): IResourceHistory {
  const t = sample.sampled_at;
  const last = history.t.length ? history.t[history.t.length - 1] : -Infinity;
  if (t <= last) {
    return history; // already there (the same sample from another tab, or older)
  }
  const window = sample.history_s ?? DEFAULT_WINDOW_S;
  const keepFrom = history.t.findIndex(time => time >= t - window);
  const from = keepFrom < 0 ? history.t.length : keepFrom;
  const trimmed = <T>(values: T[], value: T): T[] => [
    ...values.slice(from),
    value
  ];
  const devices = new Map(sample.gpu.devices.map(d => [d.index, d]));
  const indices = new Set([
    ...history.gpus.map(g => g.index),
    ...devices.keys()
  ]);
  const gpus = [...indices]
    .sort((a, b) => a - b)
    .map(index => {
      const known = history.gpus.find(g => g.index === index);
      const device = devices.get(index);
      // A GPU that appeared since the history was fetched has no earlier points.
      const earlier = (values: (number | null)[] | undefined) =>
        values ?? new Array<null>(history.t.length).fill(null);
      return {
        index,
        utilization_percent: trimmed(
          earlier(known?.utilization_percent),
          device?.utilization_percent ?? null
        ),
        memory_used_bytes: trimmed(
          earlier(known?.memory_used_bytes),
          device?.memory_used_bytes ?? null
        )
      };
    });
  return {
    t: trimmed(history.t, t),
    memory_used_bytes: trimmed(
      history.memory_used_bytes,
      sample.memory?.used_bytes ?? null
    ),
    cpu_percent: trimmed(history.cpu_percent, sample.cpu.percent),
    gpus
  };
}

/** Whether the history lacks points (the samples stopped for a while): fetch it afresh. */
export function hasGap(sample: IResources, history: IResourceHistory): boolean {
  const last = history.t.length ? history.t[history.t.length - 1] : null;
  return last !== null && sample.sampled_at - last > 3 * sample.interval_s;
}
