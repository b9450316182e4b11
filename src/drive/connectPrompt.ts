/**
 * Colab's "Permit this notebook to access your Google Drive files?" prompt: kernel code's
 * `drive.mount()` asks for it when Drive is not connected (the custom IOPub message
 * `colab_ext_drive_connect`, see kernel_site/google/colab/drive.py) and waits for the answer.
 * "Connect to Google Drive" runs the usual connect flow, after which the server lets the waiting
 * call go on; "No thanks" tells the server, and the call fails as Colab's does.
 */
import { Dialog } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { KernelMessage } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { ranHere, reannouncedCell } from '../kernelRequests';
import { DriveApi } from './api';

export const CONNECT_MESSAGE = 'colab_ext_drive_connect';

export interface IConnectRequest {
  id: string;
  state: 'open' | 'closed';
  /** Where the notebook asked to mount Drive, as its code wrote it. */
  mountpoint: string;
}

/** The request `message` carries, or null for any other message. */
export function connectRequest(
  message: KernelMessage.IMessage
): IConnectRequest | null {
  if ((message.header.msg_type as string) !== CONNECT_MESSAGE) {
    return null;
  }
  const { id, state, mountpoint } = message.content as Partial<
    Record<keyof IConnectRequest, unknown>
  >;
  if (
    typeof id !== 'string' ||
    (state !== 'open' && state !== 'closed') ||
    typeof mountpoint !== 'string'
  ) {
    return null;
  }
  return { id, state, mountpoint };
}

/** Show the prompt in the page that ran the cell, take it away when the kernel stops asking. */
export function watchConnectRequests(
  api: DriveApi,
  tracker: INotebookTracker,
  connect: () => Promise<unknown>,
  trans: TranslationBundle
): void {
  const open = new Map<string, Dialog<unknown>>();
  const ask = async (request: IConnectRequest): Promise<void> => {
    const dialog = new Dialog({
      title: trans.__(
        'Permit this notebook to access your Google Drive files?'
      ),
      body: promptBody(request, trans),
      buttons: [
        Dialog.cancelButton({ label: trans.__('No thanks') }),
        Dialog.okButton({ label: trans.__('Connect to Google Drive') })
      ]
    });
    open.set(request.id, dialog);
    const result = await dialog.launch();
    const taken = !open.delete(request.id); // the kernel stopped asking meanwhile
    if (taken) {
      return;
    }
    if (result.button.accept) {
      await connect();
    } else {
      await api.declineConnect(request.id);
    }
  };
  const watch = (panel: NotebookPanel): void => {
    panel.sessionContext.iopubMessage.connect((context, message) => {
      const request = connectRequest(message as KernelMessage.IMessage);
      if (request === null) {
        return;
      }
      if (request.state === 'closed') {
        const dialog = open.get(request.id);
        open.delete(request.id);
        dialog?.reject();
        return;
      }
      // The page that ran the cell, or one opened since (the kernel asks again every round of
      // its wait, naming the cell): Drive is the server's, so any page may connect it.
      const cellId = reannouncedCell(message as KernelMessage.IMessage);
      const shown =
        ranHere(message, context.session?.kernel?.clientId) ||
        (cellId !== null &&
          panel.content.widgets.some(cell => cell.model.id === cellId));
      if (shown && !open.has(request.id)) {
        void ask(request).catch(() => undefined);
      }
    });
  };
  tracker.forEach(watch);
  tracker.widgetAdded.connect((_, panel) => watch(panel));
}

function promptBody(
  request: IConnectRequest,
  trans: TranslationBundle
): Widget {
  const body = new Widget();
  body.addClass('jp-colab-DriveConnectPrompt');
  const text = document.createElement('p');
  text.textContent = trans.__(
    'This notebook asked to mount Google Drive at %1 (drive.mount). Connecting Google Drive to this Jupyter server lets code in its notebooks read and write your Drive files, until you disconnect it (File > Google Drive).',
    request.mountpoint
  );
  body.node.append(text);
  return body;
}
