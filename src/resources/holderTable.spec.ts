import type { TranslationBundle } from '@jupyterlab/translation';

import { HolderTable } from './holderTable';
import { IGpuHolder } from './types';

/** English as written, with %1-style arguments filled in (what nullTranslator does). */
const trans = {
  __: (text: string, ...args: unknown[]) =>
    args.reduce<string>(
      (out, arg, i) => out.replace(`%${i + 1}`, String(arg)),
      text
    )
} as unknown as TranslationBundle;

function holder(overrides: Partial<IGpuHolder> = {}): IGpuHolder {
  return {
    gpu_index: 0,
    pids: [101],
    used_bytes: 11 * 1024 ** 3,
    kernel_id: 'k-1',
    kernel_name: 'python3',
    notebook_path: 'analysis.ipynb',
    process_name: 'python',
    ...overrides
  };
}

describe('HolderTable', () => {
  it('keeps a row across refreshes so a click lands, and asks to shut its kernel down', () => {
    const asked: string[] = [];
    const table = new HolderTable(trans, (h, label) =>
      asked.push(`${h.kernel_id} ${label}`)
    );
    table.update([holder()]);
    const row = table.node.querySelector('li')!;
    table.update([holder({ used_bytes: 12 * 1024 ** 3 })]);
    expect(table.node.querySelector('li')).toBe(row);
    expect(row.textContent).toContain('12.0 GiB');
    row.querySelector('button')!.click();
    expect(asked).toEqual(['k-1 analysis.ipynb']);
  });

  it('offers no button for a process of no kernel and drops rows that are gone', () => {
    const table = new HolderTable(trans, () => undefined);
    table.update([
      holder(),
      holder({ kernel_id: null, notebook_path: null, pids: [7] })
    ]);
    const rows = table.node.querySelectorAll('li');
    expect(rows).toHaveLength(2);
    expect(rows[1].querySelector('button')).toBeNull();
    table.update([]);
    expect(table.node.querySelectorAll('li')).toHaveLength(0);
    expect(table.node.querySelector('p')!.hidden).toBe(false);
  });

  it('names the MIG instance of a kernel on a GPU in MIG mode', () => {
    const table = new HolderTable(trans, () => undefined);
    table.update([holder({ mig_index: 2, pids: [101, 102] }), holder()]);
    const rows = table.node.querySelectorAll('li');
    expect(rows).toHaveLength(2); // one kernel on an instance and on the whole GPU: two rows
    expect(rows[0].textContent).toContain('GPU 0 · MIG 2 · pid 101, 102');
    expect(rows[1].textContent).toContain('GPU 0 · pid 101');
  });
});
