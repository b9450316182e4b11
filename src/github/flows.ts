/**
 * What the GitHub commands do, from dialog to server to notification. Loaded lazily by the
 * plugin, so none of this code is fetched until a GitHub command runs.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';

import { ColabApiError } from '../request';
import { ensureConnected } from './accountDialog';
import { githubApi, IGistResult, IRepoEntry, ISaveResult } from './api';
import { GistBody } from './gistDialog';
import { OpenBody } from './openDialog';
import {
  alternativePath,
  baseName,
  IGitHubRecord,
  ILastTarget,
  ISaveDefaults,
  saveDefaults
} from './record';
import { SaveBody, SaveChoice } from './saveDialog';
import {
  applyRecord,
  findNotebook,
  INotebookTarget,
  recordOf,
  saveIfDirty,
  serverWritesRecord
} from './target';

/** What `colab-ext:github-save-gist` resolves to (the share-links feature reads it). */
export interface IGistLinks {
  html_url: string;
  nbviewer_url: string;
}

interface IOutcome {
  message: string;
  /** [button label, URL, tooltip]: each label names the page it opens. */
  links: [string, string, string?][];
}

/** Run `work` under an in-progress notification that turns into a success with links. */
async function withProgress<T>(
  pending: string,
  work: Promise<T>,
  outcome: (result: T) => IOutcome
): Promise<T> {
  const id = Notification.emit(pending, 'in-progress', { autoClose: false });
  try {
    const result = await work;
    const { message, links } = outcome(result);
    Notification.update({
      id,
      message,
      type: 'success',
      autoClose: 10000,
      actions: links.map(([label, url, caption]) => ({
        label,
        caption,
        callback: () => window.open(url, '_blank', 'noopener')
      }))
    });
    return result;
  } catch (error) {
    Notification.dismiss(id);
    throw error;
  }
}

async function notebookToUse(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  path?: string
): Promise<INotebookTarget | null> {
  const target = findNotebook(app, path);
  if (!target) {
    await showErrorMessage(
      trans.__('GitHub'),
      trans.__('Open a notebook first: this saves the current notebook.')
    );
  }
  return target;
}

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

/** File > Open from GitHub…; resolves to the local path of the opened notebook. */
export async function openFromGitHub(
  app: JupyterFrontEnd,
  trans: TranslationBundle
): Promise<string | null> {
  const account = await ensureConnected(trans);
  if (!account) {
    return null;
  }
  const current = findNotebook(app);
  const folder = current ? current.path.split('/').slice(0, -1).join('/') : '';
  const result = await showDialog({
    title: trans.__('Open from GitHub'),
    body: new OpenBody(account.login ?? '', folder, trans),
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
      githubApi.open(request),
      answer => ({
        message: trans.__('Opened %1 from GitHub.', answer.path),
        links: []
      })
    );
    await app.commands.execute('docmanager:open', { path: opened.path });
    return opened.path;
  } catch (error) {
    await showErrorMessage(trans.__('Open from GitHub'), error as Error);
    return null;
  }
}

async function askSave(
  trans: TranslationBundle,
  repos: IRepoEntry[],
  defaults: ISaveDefaults,
  previous?: SaveChoice
): Promise<SaveChoice | null> {
  for (;;) {
    const body = new SaveBody(repos, defaults, trans, previous);
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

/** What the user chooses when the file changed on GitHub; null to give up. */
async function resolveConflict(
  trans: TranslationBundle,
  message: string,
  choice: SaveChoice,
  repos: IRepoEntry[]
): Promise<SaveChoice | null> {
  const result = await showDialog({
    title: trans.__('The file changed on GitHub'),
    body: message,
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

/** File > Save a copy in GitHub…; resolves to what was saved, or null. */
export async function saveCopyInGitHub(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  path?: string
): Promise<ISaveResult | null> {
  const target = await notebookToUse(app, trans, path);
  const account = target && (await ensureConnected(trans));
  if (!target || !account) {
    return null;
  }
  let record: IGitHubRecord;
  let repos: IRepoEntry[] = [];
  try {
    await saveIfDirty(target);
    record = await recordOf(app, target);
    repos = (await githubApi.browse({})).repos ?? [];
  } catch (error) {
    await showErrorMessage(trans.__('Save a copy in GitHub'), error as Error);
    return null;
  }
  const last = lastTarget() ?? {
    repo: repos[0]?.full_name ?? `${account.login}/`,
    branch: ''
  };
  let choice = await askSave(
    trans,
    repos,
    saveDefaults(target.path, record, last)
  );
  while (choice) {
    try {
      const result = await withProgress(
        trans.__('Saving %1 to GitHub…', baseName(target.path)),
        githubApi
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
        })
      );
      return result;
    } catch (error) {
      if (error instanceof ColabApiError && error.status === 409) {
        choice = await resolveConflict(trans, error.message, choice, repos);
        continue;
      }
      await showErrorMessage(trans.__('Save a copy in GitHub'), error as Error);
      return null;
    }
  }
  return null;
}

/** File > Save a copy as a GitHub Gist…; resolves to its links, or undefined if cancelled. */
export async function saveGist(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  path?: string
): Promise<IGistLinks | undefined> {
  const target = await notebookToUse(app, trans, path);
  const account = target && (await ensureConnected(trans));
  if (!target || !account) {
    return undefined;
  }
  let record: IGitHubRecord;
  try {
    await saveIfDirty(target);
    record = await recordOf(app, target);
  } catch (error) {
    await showErrorMessage(trans.__('Save as a GitHub Gist'), error as Error);
    return undefined;
  }
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
      githubApi
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
      })
    );
    return { html_url: gist.html_url, nbviewer_url: gist.nbviewer_url };
  } catch (error) {
    await showErrorMessage(trans.__('Save as a GitHub Gist'), error as Error);
    return undefined;
  }
}
