/**
 * The picker `files.upload` shows in the cell's output, as Colab's upload widget: "Choose files"
 * and "Cancel upload", then a row per file with its progress. It is a widget in the output area's
 * layout, not an output: nothing of it is saved in the notebook, so a reopened notebook shows no
 * dead picker and nothing acts again.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { fileUploadIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { formatBytes } from './upload';

/** One file's row: name, size, a progress bar and what became of it. */
interface IRow {
  progress: HTMLProgressElement;
  status: HTMLElement;
  size: number;
}

/** The upload picker of one `files.upload` call. */
export class UploadBox extends Widget {
  constructor(options: {
    /** The folder, as the file browser names it ('' for its top folder). */
    dir: string;
    multiple: boolean;
    trans: TranslationBundle;
  }) {
    super();
    this._chosen = new Promise(resolve => (this._resolve = resolve));
    const { dir, multiple, trans } = options;
    this._trans = trans;
    this.addClass('jp-colab-Upload');

    const input = document.createElement('input');
    input.type = 'file';
    input.multiple = multiple;
    input.className = 'jp-colab-Upload-input';
    input.addEventListener('change', () => this._picked(input));

    const choose = this._button(trans.__('Choose files'), 'jp-mod-accept');
    fileUploadIcon.element({
      container: choose.insertBefore(
        document.createElement('span'),
        choose.firstChild
      ),
      className: 'jp-colab-Upload-icon',
      tag: null
    });
    choose.addEventListener('click', () => input.click());
    const cancel = this._button(trans.__('Cancel upload'), 'jp-mod-reject');
    cancel.addEventListener('click', () => this._resolve(null));

    const where = document.createElement('span');
    where.className = 'jp-colab-Upload-where';
    where.textContent = dir
      ? trans.__('to %1', dir)
      : trans.__('to the file browser’s top folder');

    const bar = document.createElement('div');
    bar.className = 'jp-colab-Upload-bar';
    bar.append(choose, cancel, where, input);
    this._list = document.createElement('ul');
    this._list.className = 'jp-colab-Upload-files';
    this.node.append(bar, this._list);
    this._buttons = [choose, cancel];
  }

  /** The files the user chose, or null when they cancelled. */
  get chosen(): Promise<File[] | null> {
    return this._chosen;
  }

  /** Show `file` as row `index`, waiting. */
  addFile(index: number, file: File): void {
    const item = document.createElement('li');
    const name = document.createElement('span');
    name.className = 'jp-colab-Upload-name';
    name.textContent = file.name;
    const size = document.createElement('span');
    size.className = 'jp-colab-Upload-size';
    size.textContent = formatBytes(file.size);
    const progress = document.createElement('progress');
    progress.max = Math.max(file.size, 1);
    progress.value = 0;
    const status = document.createElement('span');
    status.className = 'jp-colab-Upload-status';
    status.textContent = this._trans.__('waiting');
    item.append(name, size, progress, status);
    this._list.appendChild(item);
    this._rows[index] = { progress, status, size: file.size };
  }

  /** `sent` bytes of file `index` are on the server. */
  setProgress(index: number, sent: number): void {
    const row = this._rows[index];
    row.progress.value = sent;
    const percent = row.size ? Math.floor((100 * sent) / row.size) : 100;
    row.status.textContent = this._trans.__('%1% done', percent);
  }

  /** File `index` is saved, as `saved` where that is another name. */
  setSaved(index: number, name: string, saved: string): void {
    const row = this._rows[index];
    row.progress.value = row.progress.max;
    row.status.textContent =
      saved === name
        ? this._trans.__('100% done')
        : this._trans.__('100% done, saved as %1', saved);
  }

  /** File `index` could not be saved, for `reason`. */
  setFailed(index: number, reason: string): void {
    const row = this._rows[index];
    row.status.textContent = reason;
    row.status.classList.add('jp-mod-error');
  }

  dispose(): void {
    // Gone with its notebook: nobody will choose, the call gets "cancelled". (Not on detach: a
    // notebook's windowing detaches cells scrolled out of view.)
    this._resolve(null);
    super.dispose();
  }

  private _picked(input: HTMLInputElement): void {
    const files = Array.from(input.files ?? []);
    if (files.length === 0) {
      return; // the browser's dialog was closed without a choice: the picker stays
    }
    for (const button of this._buttons) {
      button.disabled = true;
    }
    this._resolve(files);
  }

  private _button(label: string, kind: string): HTMLButtonElement {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = `jp-Button jp-mod-styled ${kind} jp-colab-Upload-button`;
    button.appendChild(document.createTextNode(label));
    return button;
  }

  private _trans: TranslationBundle;
  private _list: HTMLUListElement;
  private _buttons: HTMLButtonElement[];
  private _rows: IRow[] = [];
  private _chosen: Promise<File[] | null>;
  private _resolve: (files: File[] | null) => void = () => undefined;
}
