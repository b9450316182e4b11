/**
 * Files: what `google.colab.files.download(filename)` and `files.view(filepath)` ask of the page.
 *
 * The kernel names the file relative to the server's root on IOPub (`colab_ext_files_request`,
 * see `request.ts`); the page that ran the cell downloads it through the server's `/files` URL,
 * as the file browser's Download does, or opens it in a tab (a folder in the file browser).
 * Failures show as notifications. Nothing is saved in the notebook, so reopening it does not
 * download again.
 *
 * `files.upload(target_dir)` (`colab_ext_files_upload`, see `upload.ts`) shows a picker in the
 * output of the cell that called it and writes the chosen files into the folder (`uploader.ts`).
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Notification } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { KernelMessage } from '@jupyterlab/services';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';

import { serverPartLoaded } from '../serverPart/state';
import { holdRequest, ranHere, takesRequest } from '../kernelRequests';
import { filesRequest, IFilesRequest } from './request';
import { uploadRequest } from './upload';
import { runUpload } from './uploader';

/** How many handled message ids are remembered (two views of one notebook get each once). */
const REMEMBERED = 64;

/** Download `path` (relative to the server root) as `name`, as the file browser does. */
async function download(
  app: JupyterFrontEnd,
  path: string,
  name: string
): Promise<void> {
  const contents = app.serviceManager.contents;
  // The /files URL answers a bare 404 for what the server hides (hidden files by default):
  // asking the contents API first gives a reason to show instead of a broken download.
  await contents.get(path, { content: false });
  const url = new URL(
    await contents.getDownloadUrl(path),
    window.location.href
  );
  url.searchParams.set('download', '1'); // the server sends it as an attachment
  const link = document.createElement('a');
  link.href = url.href;
  link.download = name;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}

/** Open a file in a tab, or a folder in the file browser. */
async function view(
  app: JupyterFrontEnd,
  request: IFilesRequest
): Promise<void> {
  if (request.kind === 'directory') {
    await app.commands.execute('filebrowser:go-to-path', {
      path: request.path,
      dontShowBrowser: false
    });
    return;
  }
  await app.commands.execute('docmanager:open', { path: request.path });
}

/** Why `request` failed, for a person. */
function reason(
  request: IFilesRequest,
  error: unknown,
  trans: TranslationBundle
): string {
  const status = (error as { response?: Response }).response?.status;
  const hidden = request.path.split('/').some(part => part.startsWith('.'));
  if (status === 404 && hidden) {
    return trans.__(
      'the Jupyter server does not serve hidden files (a name starting with "."); copy it to a name without the dot, or start the server with --ContentsManager.allow_hidden=True'
    );
  }
  return error instanceof Error ? error.message : String(error);
}

async function act(
  app: JupyterFrontEnd,
  request: IFilesRequest,
  trans: TranslationBundle
): Promise<void> {
  try {
    if (request.action === 'download') {
      await download(app, request.path, request.name);
    } else {
      await view(app, request);
    }
  } catch (error) {
    const why = reason(request, error, trans);
    Notification.error(
      request.action === 'download'
        ? trans.__('Could not download %1: %2', request.path, why)
        : trans.__('Could not open %1: %2', request.path, why),
      { autoClose: false }
    );
  }
}

export const filesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:files',
  description:
    "Files: downloads and opens the files that google.colab.files.download and files.view name in a notebook, and shows files.upload's picker.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    translator: ITranslator | null
  ): void => {
    if (!serverPartLoaded()) {
      return; // the server-part notice says why nothing works
    }
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const handled: string[] = [];
    const watch = (panel: NotebookPanel): void => {
      panel.sessionContext.iopubMessage.connect((context, message) => {
        const msg = message as KernelMessage.IMessage;
        const kernel = context.session?.kernel;
        if (!kernel) {
          return;
        }
        const upload = uploadRequest(msg);
        if (upload !== null) {
          // Held until answered: a reloaded page gets it again (see kernelRequests.ts).
          if (takesRequest(panel, msg, upload.id)) {
            const release = holdRequest(kernel, msg, upload.id);
            const contents = app.serviceManager.contents;
            void runUpload(contents, panel, kernel, msg, upload, trans).finally(
              release
            );
          }
          return;
        }
        const request = filesRequest(msg);
        const id = message.header.msg_id;
        if (
          request === null ||
          !ranHere(message, kernel.clientId) ||
          handled.includes(id)
        ) {
          return;
        }
        handled.push(id);
        handled.splice(0, Math.max(0, handled.length - REMEMBERED));
        void act(app, request, trans);
      });
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));
  }
};
