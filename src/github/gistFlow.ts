/**
 * File > Save a copy as a GitHub Gist…: the dialog, the gist created or updated, and the record
 * kept in the notebook so the next save updates the same gist. Loaded lazily by the plugin.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { withProgress } from '../notify';
import { GitHubApi, IGistResult } from './api';
import { GistBody } from './gistDialog';
import { prepareSave } from './prepare';
import { baseName, IGitHubRecord } from './record';
import { applyRecord, serverWritesRecord } from './target';

/** What `colab-ext:github-save-gist` resolves to (the share-links feature reads it). */
export interface IGistLinks {
  html_url: string;
  nbviewer_url: string;
}

/** Save the notebook at `path` (else the current one) as a gist; undefined if cancelled. */
export async function saveGist(
  app: JupyterFrontEnd,
  api: GitHubApi,
  trans: TranslationBundle,
  path?: string
): Promise<IGistLinks | undefined> {
  const title = trans.__('Save as a GitHub Gist');
  const ready = await prepareSave(app, api, trans, title, path);
  if (!ready) {
    return undefined;
  }
  const { target, record } = ready;
  const result = await showDialog({
    title: trans.__('Save a copy as a GitHub Gist'),
    body: new GistBody(baseName(target.path), record.gist, trans),
    buttons: [
      Dialog.cancelButton(),
      Dialog.okButton({ label: trans.__('Save gist') })
    ]
  });
  if (!result.button.accept || !result.value) {
    return undefined;
  }
  try {
    const gist: IGistResult = await withProgress(
      trans.__('Saving the gist…'),
      api
        .gist({
          ...result.value,
          path: target.path,
          write_metadata: serverWritesRecord(target)
        })
        .then(async saved => {
          await applyRecord(target, saved.record as IGitHubRecord);
          return saved;
        }),
      saved => ({
        message: saved.created
          ? trans.__('Created a gist of %1.', baseName(target.path))
          : trans.__(
              'Updated the gist (revision %1).',
              String(saved.revisions)
            ),
        links: [
          [trans.__('Open gist'), saved.html_url],
          [trans.__('nbviewer'), saved.nbviewer_url]
        ]
      }),
      { autoClose: 10000 }
    );
    return { html_url: gist.html_url, nbviewer_url: gist.nbviewer_url };
  } catch (error) {
    await showErrorMessage(title, error as Error);
    return undefined;
  }
}
