/**
 * The Drive picker: browse My Drive (and shared drives) to pick a file to open, or a folder to
 * save into (with the copy's name, when one file is saved). Loaded lazily from the commands.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import type { TranslationBundle } from '@jupyterlab/translation';
import { fileIcon, folderIcon, LabIcon } from '@jupyterlab/ui-components';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { DriveApi, IDriveFile } from './api';
import { DriveNameField } from './nameField';
import { enterFolder, formatBytes, ICrumb } from './progress';

/** What the user picked: a file (file mode) and the folder it was picked in, and the name the
 * copy gets (folder mode with a name field). */
export interface IPicked {
  file: IDriveFile | null;
  folder: ICrumb;
  name: string | null;
}

/** Where the picker starts, and the copy's name when it asks for one. */
interface IPickerStart {
  crumbs?: ICrumb[];
  name?: string;
}

class DrivePicker extends Widget {
  crumbs: ICrumb[];
  selected: IDriveFile | null = null;
  readonly nameField: DriveNameField | null;
  private _list = document.createElement('ul');
  private _path = document.createElement('div');
  private _more = document.createElement('button');
  private _pageToken: string | null = null;

  constructor(
    private readonly _api: DriveApi,
    readonly mode: 'file' | 'folder',
    private _trans: TranslationBundle,
    start: IPickerStart = {}
  ) {
    super();
    this.addClass('jp-colab-DrivePicker');
    this.crumbs = start.crumbs ?? [{ id: 'root', name: _trans.__('My Drive') }];
    this._path.className = 'jp-colab-DrivePicker-path';
    this._list.className = 'jp-colab-DrivePicker-list';
    this._more.className = 'jp-mod-styled jp-colab-DrivePicker-more';
    this._more.textContent = _trans.__('Load more');
    this._more.onclick = () => void this._load(true);
    this.node.append(this._path, this._list, this._more);
    this.nameField =
      start.name === undefined ? null : new DriveNameField(start.name, _trans);
    if (this.nameField) {
      this.node.append(this.nameField.node);
    }
    void this._load(false);
  }

  protected onAfterAttach(msg: Message): void {
    super.onAfterAttach(msg);
    this.nameField?.attach();
  }

  private async _load(more: boolean): Promise<void> {
    const folder = this.crumbs[this.crumbs.length - 1];
    if (!more) {
      this._list.replaceChildren();
      this._pageToken = null;
      this.selected = null;
    }
    this._renderPath();
    this._more.hidden = true;
    try {
      const page = await this._api.files(folder.id, this._pageToken);
      if (!more && folder.id === 'root') {
        for (const shared of page.shared_drives ?? []) {
          this._addRow(shared.name, 'shared-drive', () =>
            this._enter({ id: shared.id, name: shared.name })
          );
        }
      }
      for (const file of page.files) {
        this._addFile(file);
      }
      if (!page.files.length && !more) {
        this._note(this._trans.__('This folder is empty.'));
      }
      this._pageToken = page.next_page_token;
      this._more.hidden = !page.next_page_token;
    } catch (error) {
      this._note(String((error as Error).message ?? error));
    }
  }

  private _note(text: string): void {
    const item = document.createElement('li');
    item.className = 'jp-colab-DrivePicker-note';
    item.textContent = text;
    this._list.append(item);
  }

  private _addFile(file: IDriveFile): void {
    if (file.is_folder) {
      this._addRow(file.name, 'folder', () =>
        this._enter({ id: file.id, name: file.name })
      );
      return;
    }
    const row = this._addRow(
      file.local_name,
      file.is_google_doc ? 'google-doc' : 'file',
      () => {
        if (this.mode === 'file') {
          this.selected = file;
          this._list
            .querySelectorAll('.jp-mod-selected')
            .forEach(node => node.classList.remove('jp-mod-selected'));
          row.classList.add('jp-mod-selected');
        }
      },
      file.size !== null ? formatBytes(file.size) : ''
    );
    if (this.mode === 'folder') {
      row.classList.add('jp-mod-disabled');
    }
  }

  private _addRow(
    name: string,
    kind: string,
    onClick: () => void,
    detail = ''
  ): HTMLLIElement {
    const row = document.createElement('li');
    row.className = 'jp-colab-DrivePicker-item';
    row.dataset.kind = kind;
    row.tabIndex = 0;
    const label = document.createElement('span');
    label.className = 'jp-colab-DrivePicker-name';
    const icon: LabIcon =
      kind === 'file' || kind === 'google-doc' ? fileIcon : folderIcon;
    label.append(
      icon.element({ tag: 'span', className: 'jp-colab-DrivePicker-icon' }),
      name
    );
    const info = document.createElement('span');
    info.className = 'jp-colab-DrivePicker-detail';
    info.textContent = detail;
    row.append(label, info);
    row.onclick = onClick;
    row.onkeydown = event => {
      if (event.key === 'Enter') {
        onClick();
      }
    };
    this._list.append(row);
    return row;
  }

  private _enter(folder: ICrumb): void {
    this.crumbs = enterFolder(this.crumbs, folder);
    void this._load(false);
  }

  private _renderPath(): void {
    this._path.replaceChildren();
    this.crumbs.forEach((crumb, index) => {
      const link = document.createElement('button');
      link.className = 'jp-colab-DrivePicker-crumb';
      link.textContent = crumb.name;
      link.onclick = () => this._enter(crumb);
      if (index > 0) {
        this._path.append(' / ');
      }
      this._path.append(link);
    });
  }
}

/** Show the picker; null when the user cancels. With `name` (folder mode), it also asks for
 * the name of the copy, starting from `name`. */
export async function pickInDrive(
  api: DriveApi,
  mode: 'file' | 'folder',
  title: string,
  accept: string,
  trans: TranslationBundle,
  name?: string
): Promise<IPicked | null> {
  let start: IPickerStart = { name };
  for (;;) {
    const picker = new DrivePicker(api, mode, trans, start);
    const result = await showDialog({
      title,
      body: picker,
      focusNodeSelector: picker.nameField ? '.jp-colab-DriveName-input' : '',
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.okButton({ label: accept })
      ]
    });
    if (!result.button.accept) {
      return null;
    }
    const named = picker.nameField;
    // Nothing picked, or a refused name (the Dialog refuses to accept one; this is a second
    // line): show it again where the user was.
    if ((mode === 'file' && !picker.selected) || named?.check()) {
      start = { crumbs: picker.crumbs, name: named?.value };
      continue;
    }
    return {
      file: picker.selected,
      folder: picker.crumbs[picker.crumbs.length - 1],
      name: named?.value ?? null
    };
  }
}
