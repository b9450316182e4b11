/**
 * What saving to GitHub and saving a gist both do first: find the notebook, make sure an account
 * is connected, write unsaved changes to disk (the server copies the file) and read the record.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ensureConnected } from './accountDialog';
import { GitHubApi, IGitHubAccount } from './api';
import { IGitHubRecord } from './record';
import { findNotebook, INotebookTarget, recordOf, saveIfDirty } from './target';

/** A notebook ready to be copied to GitHub. */
export interface IReadyNotebook {
  target: INotebookTarget;
  account: IGitHubAccount;
  record: IGitHubRecord;
}

/**
 * The notebook at `path` (else the current one), ready to copy; null when there is none or the
 * user gives up, after saying why under `title`.
 */
export async function prepareSave(
  app: JupyterFrontEnd,
  api: GitHubApi,
  trans: TranslationBundle,
  title: string,
  path?: string
): Promise<IReadyNotebook | null> {
  const target = findNotebook(app, path);
  if (!target) {
    await showErrorMessage(
      trans.__('GitHub'),
      trans.__('Open a notebook first: this saves the current notebook.')
    );
    return null;
  }
  const account = await ensureConnected(api, trans);
  if (!account) {
    return null;
  }
  try {
    await saveIfDirty(target);
    return { target, account, record: await recordOf(app, target) };
  } catch (error) {
    await showErrorMessage(title, error as Error);
    return null;
  }
}
