/**
 * File > Save a copy in GitHub…: the dialog, the commit (or pull request), and what to do when
 * the file changed on GitHub meanwhile. Loaded lazily by the plugin.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Dialog, showDialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { withProgress } from '../notify';
import {
  GitHubApi,
  IRepoEntry,
  ISaveConflict,
  ISaveResult,
  saveConflict
} from './api';
import { link, paragraph } from './form';
import { prepareSave } from './prepare';
import {
  alternativePath,
  baseName,
  IGitHubRecord,
  ILastTarget,
  ISaveDefaults,
  saveDefaults
} from './record';
import { SaveBody, SaveChoice } from './saveDialog';
import { applyRecord, serverWritesRecord } from './target';

const LAST_TARGET_KEY = 'colab-ext:github-last-target';

/** The repository and branch of the user's last save, so the next new notebook goes there too. */
function lastTarget(): ILastTarget | null {
  try {
    const value = JSON.parse(localStorage.getItem(LAST_TARGET_KEY) ?? 'null');
    return value && typeof value.repo === 'string'
      ? (value as ILastTarget)
      : null;
  } catch {
    return null;
  }
}

function rememberTarget(target: ILastTarget): void {
  try {
    localStorage.setItem(LAST_TARGET_KEY, JSON.stringify(target));
  } catch {
    // Storage full or disabled: the defaults fall back to the first repository.
  }
}

async function askSave(
  api: GitHubApi,
  trans: TranslationBundle,
  repos: IRepoEntry[],
  defaults: ISaveDefaults,
  previous?: SaveChoice
): Promise<SaveChoice | null> {
  for (;;) {
    const body = new SaveBody(api, repos, defaults, trans, previous);
    const result = await showDialog({
      title: trans.__('Save a copy in GitHub'),
      body,
      buttons: [
        Dialog.cancelButton(),
        Dialog.okButton({ label: trans.__('Save') })
      ]
    });
    if (!result.button.accept || !result.value) {
      return null;
    }
    const problem = body.validate();
    if (!problem) {
      return result.value;
    }
    await showErrorMessage(trans.__('Save a copy in GitHub'), problem);
    previous = result.value;
    defaults = {
      repo: previous.repo,
      branch: previous.new_branch ? '' : previous.branch,
      targetPath: previous.target_path,
      message: previous.message
    };
  }
}

/** The conflict dialog's body: the server's message, and a link to the file as it is now. */
function conflictBody(
  message: string,
  conflict: ISaveConflict,
  trans: TranslationBundle
): Widget {
  const body = new Widget();
  body.node.append(paragraph(message, 'jp-colab-GitHubConflict-message'));
  if (conflict.file_url) {
    body.node.append(
      link(trans.__('See the file on GitHub'), conflict.file_url)
    );
  }
  return body;
}

/** What the user chooses when the file changed on GitHub; null to give up. */
async function resolveConflict(
  api: GitHubApi,
  trans: TranslationBundle,
  message: string,
  conflict: ISaveConflict,
  choice: SaveChoice,
  repos: IRepoEntry[]
): Promise<SaveChoice | null> {
  const result = await showDialog({
    title: trans.__('The file changed on GitHub'),
    body: conflictBody(message, conflict, trans),
    buttons: [
      Dialog.cancelButton(),
      Dialog.createButton({ label: trans.__('Save under another path') }),
      Dialog.createButton({ label: trans.__('Open a pull request') }),
      Dialog.warnButton({ label: trans.__('Overwrite') })
    ],
    // Enter must never overwrite someone's change: it opens a pull request.
    defaultButton: 2
  });
  const label = result.button.label;
  if (label === trans.__('Save under another path')) {
    // Back to the form with a free-looking path suggested, so the user picks the name.
    return askSave(
      api,
      trans,
      repos,
      {
        repo: choice.repo,
        branch: choice.new_branch ? '' : choice.branch,
        targetPath: alternativePath(choice.target_path),
        message: choice.message
      },
      choice
    );
  }
  if (label === trans.__('Open a pull request')) {
    return { ...choice, pull_request: true };
  }
  if (label === trans.__('Overwrite')) {
    return { ...choice, overwrite: true };
  }
  return null;
}

/** Save the notebook at `path` (else the current one) to GitHub; resolves to what was saved. */
export async function saveCopyInGitHub(
  app: JupyterFrontEnd,
  api: GitHubApi,
  trans: TranslationBundle,
  path?: string
): Promise<ISaveResult | null> {
  const title = trans.__('Save a copy in GitHub');
  const ready = await prepareSave(app, api, trans, title, path);
  if (!ready) {
    return null;
  }
  const { target, account, record } = ready;
  let repos: IRepoEntry[];
  try {
    repos = (await api.browse({})).repos ?? [];
  } catch (error) {
    await showErrorMessage(title, error as Error);
    return null;
  }
  const last = lastTarget() ?? {
    repo: repos[0]?.full_name ?? `${account.login}/`,
    branch: ''
  };
  let choice = await askSave(
    api,
    trans,
    repos,
    saveDefaults(target.path, record, last)
  );
  while (choice) {
    try {
      return await withProgress<ISaveResult>(
        trans.__('Saving %1 to GitHub…', baseName(target.path)),
        api
          .save({
            ...choice,
            path: target.path,
            write_metadata: serverWritesRecord(target)
          })
          .then(async saved => {
            // Recorded before "done" shows, so the next save already sees it.
            await applyRecord(target, saved.record as IGitHubRecord);
            rememberTarget({ repo: saved.repo, branch: saved.base_branch });
            return saved;
          }),
        saved => ({
          message: saved.pull_request_url
            ? trans.__('Opened a pull request on %1.', saved.repo)
            : saved.unchanged
              ? trans.__('%1 on GitHub is already up to date.', saved.path)
              : trans.__(
                  'Saved %1 to %2 (%3).',
                  saved.path,
                  saved.repo,
                  saved.branch
                ),
          // Each button names the page it opens ("Commit" read like an action to take).
          links: [
            saved.pull_request_url
              ? [
                  trans.__('View pull request'),
                  saved.pull_request_url,
                  trans.__('Open the pull request on GitHub')
                ]
              : [
                  trans.__('View file'),
                  saved.file_url,
                  trans.__('Open %1 on GitHub', saved.path)
                ],
            [
              trans.__('View commit'),
              saved.commit_url,
              trans.__('Open the commit on GitHub')
            ]
          ]
        }),
        { autoClose: 10000 }
      );
    } catch (error) {
      const conflict = saveConflict(error);
      if (conflict) {
        const message = (error as Error).message;
        choice = await resolveConflict(
          api,
          trans,
          message,
          conflict,
          choice,
          repos
        );
        continue;
      }
      await showErrorMessage(title, error as Error);
      return null;
    }
  }
  return null;
}
