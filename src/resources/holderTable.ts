/**
 * Who holds GPU memory: one entry per notebook kernel (or foreign process) per GPU, with a
 * button to shut that kernel down. Entries are kept across refreshes so clicks land. A list,
 * not a table: the sidebar is narrow and notebook paths are long.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { element, setText } from './dom';
import { formatBytes, holderLabel } from './format';
import { IGpuHolder } from './types';

/** What the list asks its owner to do when a user wants a kernel shut down. */
export type ShutDownRequest = (holder: IGpuHolder, label: string) => void;

function entryKey(holder: IGpuHolder): string {
  const mig = holder.mig_index ?? '';
  return `${holder.gpu_index}:${mig}:${holder.kernel_id ?? `pid-${holder.pids[0]}`}`;
}

/** The parts of one entry that change between refreshes. */
interface IEntry {
  node: HTMLLIElement;
  name: HTMLElement;
  folder: HTMLElement;
  memory: HTMLElement;
  where: HTMLElement;
  button: HTMLButtonElement | null;
  holder: IGpuHolder;
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
    this.node.append(this.list, this.empty);
  }

  update(holders: IGpuHolder[]): void {
    const seen = new Set<string>();
    for (const holder of holders) {
      const key = entryKey(holder);
      seen.add(key);
      let entry = this.entries.get(key);
      if (!entry) {
        entry = this.makeEntry(holder);
        this.entries.set(key, entry);
      }
      this.fill(entry, holder);
      this.list.appendChild(entry.node); // keeps the server's order (GPU, then most memory)
    }
    for (const [key, entry] of this.entries) {
      if (!seen.has(key)) {
        entry.node.remove();
        this.entries.delete(key);
      }
    }
    this.empty.hidden = holders.length > 0;
  }

  private makeEntry(holder: IGpuHolder): IEntry {
    const node = element('li', 'jp-colab-Holder');
    const top = element('div', 'jp-colab-Holder-line');
    const bottom = element('div', 'jp-colab-Holder-line');
    const entry: IEntry = {
      node,
      name: element('span', 'jp-colab-Holder-name'),
      folder: element('div', 'jp-colab-Holder-folder'),
      memory: element('span', 'jp-colab-Holder-memory'),
      where: element('span', 'jp-colab-Holder-where'),
      button: null,
      holder
    };
    top.append(entry.name, entry.memory);
    bottom.append(entry.where);
    if (holder.kernel_id) {
      const button = element(
        'button',
        'jp-colab-Holder-shutdown jp-mod-styled jp-mod-warn',
        this.trans.__('Shut down')
      );
      button.type = 'button';
      button.addEventListener('click', () =>
        this.onShutDown(entry.holder, holderLabel(entry.holder))
      );
      bottom.appendChild(button);
      entry.button = button;
    }
    node.append(top, entry.folder, bottom);
    return entry;
  }

  private fill(entry: IEntry, holder: IGpuHolder): void {
    entry.holder = holder;
    const label = holderLabel(holder);
    const path = holder.notebook_path;
    const slash = path ? path.lastIndexOf('/') : -1;
    entry.node.dataset.notebook = path ?? '';
    setText(entry.name, slash >= 0 ? path!.slice(slash + 1) : label, label);
    setText(entry.folder, slash >= 0 ? path!.slice(0, slash + 1) : '');
    entry.folder.hidden = slash < 0;
    setText(entry.memory, formatBytes(holder.used_bytes));
    const pids = holder.pids.join(', ');
    setText(
      entry.where,
      holder.mig_index === null || holder.mig_index === undefined
        ? this.trans.__('GPU %1 · pid %2', holder.gpu_index, pids)
        : this.trans.__(
            'GPU %1 · MIG %2 · pid %3',
            holder.gpu_index,
            holder.mig_index,
            pids
          )
    );
    entry.button?.setAttribute(
      'aria-label',
      this.trans.__('Shut down the kernel of %1', label)
    );
  }

  readonly node: HTMLDivElement;
  private list = element('ul', 'jp-colab-Holders-list');
  private empty: HTMLParagraphElement;
  private entries = new Map<string, IEntry>();
}
