/**
 * File > Open from GitHub…: the dialog, the copy on the server, and the notebook opened. Loaded
 * lazily by the plugin.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { withProgress } from '../notify';
import { ensureConnected } from './accountDialog';
import { GitHubApi } from './api';
import { OpenBody } from './openDialog';
import { findNotebook } from './target';

/** Ask what to open and where, copy it to the server and open it; resolves to its local path. */
export async function openFromGitHub(
  app: JupyterFrontEnd,
  api: GitHubApi,
  trans: TranslationBundle
): Promise<string | null> {
  const account = await ensureConnected(api, trans);
  if (!account) {
    return null;
  }
  const current = findNotebook(app);
  const folder = current ? current.path.split('/').slice(0, -1).join('/') : '';
  const result = await showDialog({
    title: trans.__('Open from GitHub'),
    body: new OpenBody(api, account.login ?? '', folder, trans),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Open') })
    ],
    focusNodeSelector: 'input'
  });
  const request = result.value;
  if (!result.button.accept || !request) {
    return null;
  }
  if (!request.url && !request.path) {
    await showErrorMessage(
      trans.__('Open from GitHub'),
      trans.__('Paste a GitHub URL, or browse to a notebook and click it.')
    );
    return null;
  }
  try {
    const opened = await withProgress(
      trans.__('Opening from GitHub…'),
      api.open(request),
      answer => ({ message: trans.__('Opened %1 from GitHub.', answer.path) }),
      { autoClose: 10000 }
    );
    await app.commands.execute('docmanager:open', { path: opened.path });
    return opened.path;
  } catch (error) {
    await showErrorMessage(trans.__('Open from GitHub'), error as Error);
    return null;
  }
}
