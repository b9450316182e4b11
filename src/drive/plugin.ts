/**
 * The Drive feature: a Drive button in the file browser toolbar and a Google Drive submenu in
 * File (both declared in `schema/drive.json`), with Connect, Mount/Unmount, Open from Drive,
 * Save a copy in Drive and Upload to Drive. The dialogs load only when a command runs.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, showErrorMessage } from '@jupyterlab/apputils';
import { IDefaultFileBrowser } from '@jupyterlab/filebrowser';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Menu } from '@lumino/widgets';

import { driveApi, IDriveStatus } from './api';
import { watchConnectRequests } from './connectPrompt';

/** Command ids of the Drive feature. */
export namespace CommandIDs {
  export const menu = 'colab-ext:drive-menu';
  export const connect = 'colab-ext:connect-drive';
  export const disconnect = 'colab-ext:disconnect-drive';
  export const mount = 'colab-ext:mount-drive';
  export const unmount = 'colab-ext:unmount-drive';
  export const open = 'colab-ext:open-from-drive';
  export const saveCopy = 'colab-ext:save-copy-in-drive';
  export const upload = 'colab-ext:upload-to-drive';
}

export const driveIcon = new LabIcon({
  name: 'colab-ext:drive',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24"><path class="jp-icon3" fill="#616161" d="M7.7 3.5h8.6l5.2 9-4.3 7.5H6.8L2.5 12.5zm1.2 2L5 12.5l2.1 3.6L11 9.2zm2.3 0 3.9 6.8h4.2l-3.9-6.8zM8.3 18h8.6l2.1-3.7h-8.6z"/></svg>'
});

/** A document widget's context, as far as saving a copy needs it. */
interface IHasContext {
  context: { path: string; save(): Promise<void> };
}

function hasContext(widget: unknown): widget is IHasContext {
  const context = (widget as Partial<IHasContext> | null)?.context;
  return (
    typeof context?.path === 'string' && typeof context.save === 'function'
  );
}

export const drivePlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:drive',
  description:
    'Google Drive: connect, mount as a folder, open from and save copies in Drive.',
  autoStart: true,
  optional: [
    IDefaultFileBrowser,
    ICommandPalette,
    ITranslator,
    INotebookTracker
  ],
  activate: (
    app: JupyterFrontEnd,
    browser: IDefaultFileBrowser | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    notebooks: INotebookTracker | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const { commands } = app;
    const api = driveApi(app.serviceManager.serverSettings);
    let status: IDriveStatus | null = null;

    const refresh = async (): Promise<IDriveStatus> => {
      status = await api.status();
      commands.notifyCommandChanged();
      return status;
    };
    // After the first page is up: the status only enables menu items.
    void app.restored.then(refresh).catch(() => undefined);
    const mounted = () =>
      (status?.mounts ?? []).some(
        m => m.state !== 'stopped' && m.path !== null
      );
    const actions = () => import('./actions');
    const guard = (work: () => Promise<unknown>) => async (): Promise<void> => {
      try {
        await work();
      } catch (error) {
        await showErrorMessage(
          trans.__('Google Drive'),
          (error as Error).message
        );
      } finally {
        await refresh().catch(() => undefined);
      }
    };
    const browserFolder = (): string => {
      const here = browser?.model.path ?? '';
      const mount = status?.mount_path ?? 'drive';
      return here === mount || here.startsWith(`${mount}/`) ? '' : here;
    };

    commands.addCommand(CommandIDs.menu, {
      label: trans.__('Google Drive'),
      caption: () =>
        status?.connected
          ? trans.__(
              'Google Drive: %1',
              status.account?.email ?? trans.__('connected')
            )
          : trans.__('Google Drive: not connected'),
      icon: driveIcon,
      execute: async () => {
        await refresh().catch(() => undefined);
        const menu = new Menu({ commands });
        menu.addClass('jp-colab-DriveMenu');
        for (const command of [
          CommandIDs.connect,
          CommandIDs.mount,
          CommandIDs.unmount,
          CommandIDs.open,
          CommandIDs.upload,
          CommandIDs.disconnect
        ]) {
          menu.addItem({ command });
        }
        const button = document.querySelector(
          `[data-command="${CommandIDs.menu}"]`
        );
        const box = button?.getBoundingClientRect();
        menu.open(box?.left ?? 100, box?.bottom ?? 100);
      }
    });
    commands.addCommand(CommandIDs.connect, {
      label: () =>
        status?.connected
          ? trans.__('Connected as %1', status.account?.email ?? '?')
          : trans.__('Connect to Google Drive…'),
      isEnabled: () => !status?.connected,
      icon: driveIcon,
      execute: guard(async () => {
        const now = status ?? (await refresh());
        await (await actions()).connectDrive(api, now, trans);
      })
    });
    if (notebooks) {
      // Kernel code's drive.mount() asks here when Drive is not connected.
      const connectNow = guard(async () =>
        (await actions()).connectDrive(api, await refresh(), trans)
      );
      watchConnectRequests(api, notebooks, connectNow, trans);
    }
    commands.addCommand(CommandIDs.disconnect, {
      label: trans.__('Disconnect Google Drive…'),
      isEnabled: () =>
        !!status?.connected && status.credential_kind === 'oauth',
      execute: guard(async () => (await actions()).disconnectDrive(api, trans))
    });
    commands.addCommand(CommandIDs.mount, {
      label: () =>
        status && !status.fuse.available
          ? trans.__('Mount Drive (FUSE is not available)…')
          : trans.__('Mount Drive'),
      isEnabled: () => !!status?.connected && !mounted(),
      execute: guard(async () => {
        const path = await (
          await actions()
        ).mountDrive(api, await refresh(), trans);
        if (path && browser) {
          await browser.model.cd(`/${path}/MyDrive`);
        }
      })
    });
    commands.addCommand(CommandIDs.unmount, {
      label: trans.__('Unmount Drive'),
      isEnabled: () => mounted(),
      execute: guard(async () => {
        const now = await refresh();
        if (browser && browserFolder() === '' && browser.model.path !== '') {
          await browser.model.cd('/');
        }
        await (await actions()).unmountDrive(api, now, trans);
      })
    });
    commands.addCommand(CommandIDs.open, {
      label: trans.__('Open from Drive…'),
      isEnabled: () => !!status?.connected,
      execute: guard(async () => {
        const path = await (
          await actions()
        ).openFromDrive(api, browserFolder(), trans);
        if (path) {
          await commands.execute('docmanager:open', { path });
        }
      })
    });
    commands.addCommand(CommandIDs.saveCopy, {
      label: trans.__('Save a copy in Drive…'),
      isEnabled: () =>
        !!status?.connected && hasContext(app.shell.currentWidget),
      execute: guard(async () => {
        const widget = app.shell.currentWidget;
        if (!hasContext(widget)) {
          return;
        }
        await widget.context.save();
        await (
          await actions()
        ).saveToDrive(
          api,
          [widget.context.path],
          trans.__('Save a copy in Drive'),
          trans
        );
      })
    });
    commands.addCommand(CommandIDs.upload, {
      label: trans.__('Upload selected files to Drive…'),
      isEnabled: () => !!status?.connected && !!browser,
      execute: guard(async () => {
        const files = Array.from(browser?.selectedItems() ?? [])
          .filter(item => item.type !== 'directory')
          .map(item => item.path);
        if (!files.length) {
          throw new Error(
            trans.__('Select one or more files in the file browser first.')
          );
        }
        await (
          await actions()
        ).saveToDrive(api, files, trans.__('Upload to Drive'), trans);
      })
    });
    for (const command of Object.values(CommandIDs)) {
      if (command !== CommandIDs.menu) {
        palette?.addItem({ command, category: trans.__('Google Drive') });
      }
    }
  }
};
