/**
 * The table of who holds GPU memory: one row per notebook kernel (or foreign process) per GPU,
 * with a button to shut that kernel down. Rows are kept across refreshes so clicks land.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { element, setText } from './dom';
import { formatBytes, holderLabel } from './format';
import { IGpuHolder } from './types';

/** What the table asks its owner to do when a user wants a kernel shut down. */
export type ShutDownRequest = (holder: IGpuHolder, label: string) => void;

function rowKey(holder: IGpuHolder): string {
  return `${holder.gpu_index}:${holder.kernel_id ?? `pid-${holder.pids[0]}`}`;
}

export class HolderTable {
  constructor(
    private readonly trans: TranslationBundle,
    private readonly onShutDown: ShutDownRequest
  ) {
    this.empty = element(
      'p',
      'jp-colab-Resources-note',
      trans.__('No process holds GPU memory.')
    );
    this.node = element('div', 'jp-colab-Holders');
    const table = element('table');
    const head = element('tr');
    for (const title of [
      trans.__('Notebook or process'),
      trans.__('GPU'),
      trans.__('Memory'),
      ''
    ]) {
      head.appendChild(element('th', undefined, title));
    }
    table.append(element('thead'), this.body);
    table.tHead!.appendChild(head);
    this.node.append(table, this.empty);
  }

  update(holders: IGpuHolder[]): void {
    const seen = new Set<string>();
    for (const holder of holders) {
      const key = rowKey(holder);
      seen.add(key);
      let row = this.rows.get(key);
      if (!row) {
        row = this.makeRow(holder);
        this.rows.set(key, row);
      }
      this.fill(row, holder);
      this.body.appendChild(row); // keeps the server's order (GPU, then most memory)
    }
    for (const [key, row] of this.rows) {
      if (!seen.has(key)) {
        row.remove();
        this.rows.delete(key);
      }
    }
    this.empty.hidden = holders.length > 0;
  }

  private makeRow(holder: IGpuHolder): HTMLTableRowElement {
    const row = element('tr');
    row.append(element('td'), element('td'), element('td'), element('td'));
    if (holder.kernel_id) {
      const button = element(
        'button',
        'jp-colab-Holders-shutdown jp-mod-styled jp-mod-warn',
        this.trans.__('Shut down')
      );
      button.type = 'button';
      button.addEventListener('click', () =>
        this.onShutDown(this.holders.get(row)!, holderLabel(holder))
      );
      row.cells[3].appendChild(button);
    }
    return row;
  }

  private fill(row: HTMLTableRowElement, holder: IGpuHolder): void {
    this.holders.set(row, holder);
    const label = holderLabel(holder);
    row.dataset.notebook = holder.notebook_path ?? '';
    setText(row.cells[0], label, holder.pids.map(p => `pid ${p}`).join(', '));
    setText(row.cells[1], String(holder.gpu_index));
    setText(row.cells[2], formatBytes(holder.used_bytes));
    const button = row.cells[3].querySelector('button');
    button?.setAttribute(
      'aria-label',
      this.trans.__('Shut down the kernel of %1', label)
    );
  }

  readonly node: HTMLDivElement;
  private body = element('tbody');
  private empty: HTMLParagraphElement;
  private rows = new Map<string, HTMLTableRowElement>();
  private holders = new WeakMap<HTMLTableRowElement, IGpuHolder>();
}
