/**
 * The GitHub feature: File > Open from GitHub, Save a copy in GitHub, Save a copy as a GitHub
 * Gist, Copy open-in link, and GitHub account (menus declared in `schema/github.json`). The dialogs' code loads
 * only when a command runs.
 *
 * `colab-ext:github-save-gist` is also used by other features (share links): it takes
 * `{ path?: string }` (default: the current notebook) and resolves to
 * `{ html_url, nbviewer_url }`, or undefined when the user cancels.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { githubApi } from './api';
import { findNotebook } from './target';

/** Command ids of the GitHub feature. */
export namespace CommandIDs {
  export const account = 'colab-ext:github-account';
  export const open = 'colab-ext:github-open';
  export const saveCopy = 'colab-ext:github-save-copy';
  export const saveGist = 'colab-ext:github-save-gist';
  export const copyOpenLink = 'colab-ext:github-copy-open-link';
}

function pathArgument(args: { path?: unknown }): string | undefined {
  return typeof args.path === 'string' && args.path ? args.path : undefined;
}

export const githubPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:github',
  description:
    'Open notebooks from GitHub, save copies to GitHub (commit or pull request) and as gists.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const api = githubApi(app.serviceManager.serverSettings);
    const hasNotebook = (args: { path?: unknown }) =>
      pathArgument(args) !== undefined || findNotebook(app) !== null;

    app.commands.addCommand(CommandIDs.account, {
      label: trans.__('GitHub Account…'),
      caption: trans.__('Connect this server to GitHub, or disconnect it'),
      execute: async () => {
        const { showAccountDialog } = await import('./accountDialog');
        return showAccountDialog(api, trans);
      }
    });
    app.commands.addCommand(CommandIDs.open, {
      label: trans.__('Open from GitHub…'),
      caption: trans.__('Copy a notebook from GitHub or a gist and open it'),
      execute: async () => {
        const { openFromGitHub } = await import('./openFlow');
        return openFromGitHub(app, api, trans);
      }
    });
    app.commands.addCommand(CommandIDs.saveCopy, {
      label: trans.__('Save a Copy in GitHub…'),
      caption: trans.__(
        'Commit this notebook to a GitHub repository, or open a pull request'
      ),
      isEnabled: hasNotebook,
      execute: async args => {
        const { saveCopyInGitHub } = await import('./saveFlow');
        return saveCopyInGitHub(app, api, trans, pathArgument(args));
      }
    });
    app.commands.addCommand(CommandIDs.saveGist, {
      label: trans.__('Save a Copy as a GitHub Gist…'),
      caption: trans.__(
        'Save this notebook as a gist; saving again updates the same gist'
      ),
      isEnabled: hasNotebook,
      execute: async args => {
        const { saveGist } = await import('./gistFlow');
        return saveGist(app, api, trans, pathArgument(args));
      }
    });
    app.commands.addCommand(CommandIDs.copyOpenLink, {
      label: trans.__('Copy Open-in Link…'),
      caption: trans.__(
        'Copy a link that opens this notebook, from GitHub, on this server; with badge snippets'
      ),
      isEnabled: hasNotebook,
      execute: async args => {
        const { copyOpenInLink } = await import('./openLinkDialog');
        return copyOpenInLink(app, trans, pathArgument(args));
      }
    });
    for (const command of Object.values(CommandIDs)) {
      palette?.addItem({ command, category: trans.__('GitHub') });
    }
  }
};
