/**
 * The Shared Links panel: every link of this server (notebook, created, expires, visits) with
 * Revoke, and Remove for links that no longer open. Loaded lazily by the share plugin.
 */
import {
  Dialog,
  MainAreaWidget,
  showDialog,
  showErrorMessage,
  ToolbarButton
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { linkIcon, refreshIcon } from '@jupyterlab/ui-components';
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Widget } from '@lumino/widgets';

import { ShareApi } from './api';
import {
  describeExpiry,
  formatTime,
  IShareLink,
  IShareLinkList,
  linkStatus
} from './links';

/** The panel, ready to add to the main area. */
export function createSharedLinksPanel(
  api: ShareApi,
  trans: TranslationBundle,
  commands: JupyterFrontEnd['commands']
): MainAreaWidget<SharedLinksView> {
  const view = new SharedLinksView(api, trans, commands);
  const panel = new MainAreaWidget({ content: view });
  panel.id = 'colab-ext-shared-links';
  panel.title.label = trans.__('Shared Links');
  panel.title.icon = linkIcon;
  panel.title.closable = true;
  panel.toolbar.addItem(
    'refresh',
    new ToolbarButton({
      icon: refreshIcon,
      tooltip: trans.__('Refresh'),
      onClick: () => void view.refresh()
    })
  );
  return panel;
}

/** The table of links, read again from the server on each refresh. */
export class SharedLinksView extends Widget {
  constructor(
    private readonly api: ShareApi,
    private readonly trans: TranslationBundle,
    private readonly commands: JupyterFrontEnd['commands']
  ) {
    super();
    this.addClass('jp-colab-SharedLinks');
  }

  /** Read the links and draw them. */
  async refresh(): Promise<void> {
    let list: IShareLinkList;
    try {
      list = await this.api.links();
    } catch (error) {
      this.message((error as Error).message);
      return;
    }
    this.node.replaceChildren();
    const { trans } = this;
    if (!list.enabled) {
      this.message(
        trans.__(
          'An administrator turned share links off on this server: existing links do not open.'
        )
      );
    }
    if (list.links.length === 0) {
      this.message(
        trans.__(
          'No shared links yet. Use Share in a notebook’s toolbar or the File menu.'
        )
      );
      return;
    }
    this.node.append(this.table(list.links));
  }

  private message(text: string): void {
    const p = document.createElement('p');
    p.className = 'jp-colab-SharedLinks-message';
    p.textContent = text;
    this.node.append(p);
  }

  private table(links: IShareLink[]): HTMLTableElement {
    const { trans } = this;
    const table = document.createElement('table');
    const head = table.createTHead().insertRow();
    for (const title of [
      trans.__('Notebook'),
      trans.__('Outputs'),
      trans.__('Created'),
      trans.__('Expires'),
      trans.__('Visits'),
      trans.__('Status'),
      ''
    ]) {
      const th = document.createElement('th');
      th.textContent = title;
      head.append(th);
    }
    const body = table.createTBody();
    const now = Date.now() / 1000;
    for (const link of links) {
      const row = body.insertRow();
      row.dataset.linkId = link.id;
      const status = linkStatus(link, now);
      row.classList.toggle('jp-mod-inactive', status !== 'active');
      row.append(this.notebook(link));
      const cells: [string, string, string?][] = [
        ['outputs', link.include_outputs ? trans.__('yes') : trans.__('no')],
        ['created', formatTime(link.created_at)],
        [
          'expires',
          status === 'active' ? describeExpiry(link.expires_at, now) : '—'
        ],
        [
          'visits',
          String(link.visits),
          link.last_visit_at === null
            ? trans.__('Never opened')
            : trans.__('Last opened %1', formatTime(link.last_visit_at))
        ],
        ['status', trans.__(status)]
      ];
      for (const [column, text, title] of cells) {
        const cell = row.insertCell();
        cell.dataset.column = column;
        cell.textContent = text;
        if (title) {
          cell.title = title;
        }
      }
      row.insertCell().append(this.action(link, status === 'active'));
    }
    return table;
  }

  /** The notebook's name (opens it) above its folder and the link's label. */
  private notebook(link: IShareLink): HTMLTableCellElement {
    const cell = document.createElement('td');
    cell.dataset.column = 'path';
    cell.title = link.path;
    const name = document.createElement('button');
    name.className = 'jp-colab-SharedLinks-open';
    name.textContent = PathExt.basename(link.path);
    name.addEventListener('click', () => {
      void this.commands.execute('docmanager:open', { path: link.path });
    });
    const folder = document.createElement('div');
    folder.className = 'jp-colab-SharedLinks-folder';
    folder.textContent = PathExt.dirname(link.path);
    cell.append(name, folder);
    if (link.label) {
      const label = document.createElement('div');
      label.className = 'jp-colab-SharedLinks-label';
      label.textContent = link.label;
      cell.append(label);
    }
    return cell;
  }

  private action(link: IShareLink, active: boolean): HTMLButtonElement {
    const { trans } = this;
    const button = document.createElement('button');
    button.className = active
      ? 'jp-Button jp-mod-styled jp-mod-warn'
      : 'jp-Button jp-mod-styled';
    button.textContent = active ? trans.__('Revoke') : trans.__('Remove');
    button.addEventListener('click', async () => {
      if (active && !(await this.confirmRevoke(link))) {
        return;
      }
      try {
        await (active ? this.api.revoke(link.id) : this.api.forget(link.id));
      } catch (error) {
        await showErrorMessage(trans.__('Shared Links'), error as Error);
      }
      await this.refresh();
    });
    return button;
  }

  private async confirmRevoke(link: IShareLink): Promise<boolean> {
    const { trans } = this;
    const result = await showDialog({
      title: trans.__('Revoke this link?'),
      body: trans.__(
        'The link to “%1” stops working at once for everyone who has it. This cannot be undone; you can make a new link.',
        link.path
      ),
      buttons: [
        Dialog.cancelButton({ label: trans.__('Cancel') }),
        Dialog.warnButton({ label: trans.__('Revoke') })
      ]
    });
    return result.button.accept;
  }
}
