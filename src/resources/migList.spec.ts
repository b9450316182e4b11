import type { TranslationBundle } from '@jupyterlab/translation';

import { MigList, migProfile } from './migList';
import { IGpuDevice, IMigDevice } from './types';

function instance(index: number, name: string): IMigDevice {
  return {
    index,
    name,
    uuid: `MIG-${index}`,
    memory_used_bytes: 1024 ** 3,
    memory_total_bytes: 5 * 1024 ** 3,
    utilization_percent: null,
    gpu_instance_id: 7,
    compute_instance_id: 0,
    unavailable: { utilization_percent: 'not supported on a MIG instance' }
  };
}

function gpu(mig: boolean, instances: IMigDevice[]): IGpuDevice {
  return {
    index: 0,
    name: 'NVIDIA A100-SXM4-40GB',
    uuid: 'GPU-0',
    memory_used_bytes: null,
    memory_total_bytes: null,
    utilization_percent: null,
    memory_utilization_percent: null,
    temperature_c: null,
    power_w: null,
    power_limit_w: null,
    mig_enabled: mig,
    pcie_tx_kbps: null,
    pcie_rx_kbps: null,
    mig_devices: instances,
    unavailable: {}
  };
}

describe('migProfile', () => {
  it('takes the profile out of the instance name', () => {
    expect(migProfile(instance(0, 'NVIDIA A100-SXM4-40GB MIG 3g.20gb'))).toBe(
      '3g.20gb'
    );
    expect(migProfile(instance(0, 'Something else'))).toBe('Something else');
  });
});

/** English as written, with %1-style arguments filled in (what nullTranslator does). */
const fill = (text: string, args: unknown[]) =>
  args.reduce<string>(
    (out, arg, i) => out.replace(`%${i + 1}`, String(arg)),
    text
  );
const trans = {
  __: (text: string, ...args: unknown[]) => fill(text, args),
  _n: (one: string, many: string, n: number, ...args: unknown[]) =>
    fill(n === 1 ? one : many, [n, ...args])
} as unknown as TranslationBundle;

describe('MigList', () => {
  it('lists each instance with its memory and says why utilisation is missing', () => {
    const list = new MigList(trans);
    list.update(
      gpu(true, [
        instance(0, 'NVIDIA A100-SXM4-40GB MIG 3g.20gb'),
        instance(2, 'NVIDIA A100-SXM4-40GB MIG 1g.5gb')
      ])
    );
    const rows = list.node.querySelectorAll('li');
    expect(rows).toHaveLength(2);
    expect(rows[1].dataset.mig).toBe('2');
    expect(rows[1].textContent).toContain('MIG 2 · 1g.5gb · GI 7 CI 0');
    expect(rows[1].textContent).toContain('1.0 / 5.0 GiB');
    const util = rows[1].querySelector(
      '[data-figure="utilization"] .jp-colab-Figure-value'
    ) as HTMLElement;
    expect(util.textContent).toBe('n/a');
    expect(util.title).toBe('not supported on a MIG instance');
    list.update(gpu(true, [instance(0, 'x MIG 7g.40gb')]));
    expect(list.node.querySelectorAll('li')).toHaveLength(1);
  });

  it('is hidden without MIG and explains an empty MIG GPU', () => {
    const list = new MigList(trans);
    list.update(gpu(false, []));
    expect(list.node.hidden).toBe(true);
    list.update(gpu(true, []));
    expect(list.node.hidden).toBe(false);
    expect(list.node.textContent).toContain('no instance exists yet');
  });
});
