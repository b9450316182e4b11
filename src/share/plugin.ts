/**
 * The share feature: a Share button in the notebook toolbar and the File menu (both declared in
 * `schema/share.json`), and the Shared links panel. Dialog and panel code load only when used
 * (or when a reload restores the panel).
 */
import {
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import {
  ICommandPalette,
  MainAreaWidget,
  showErrorMessage,
  WidgetTracker
} from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { shareIcon } from '@jupyterlab/ui-components';

import { shareApi } from './api';
import { notebookOf } from './current';
import type { SharedLinksView } from './panel';

/** Command ids of the share feature. */
export namespace CommandIDs {
  export const shareNotebook = 'colab-ext:share-notebook';
  export const showSharedLinks = 'colab-ext:show-shared-links';
  /** Registered by the GitHub feature, when it is installed. */
  export const saveGist = 'colab-ext:github-save-gist';
}

export const sharePlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:share',
  description:
    'Share: read-only links to one notebook for people without an account, and the Shared links panel.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator, ILayoutRestorer],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const api = shareApi(app.serviceManager.serverSettings);
    let panel: MainAreaWidget<SharedLinksView> | null = null;
    // The panel is made on first use, so a reload brings it back by running the command again
    // (with `restore`: the restorer places it, and nothing waits on the server meanwhile).
    const tracker = new WidgetTracker<MainAreaWidget<SharedLinksView>>({
      namespace: 'colab-ext-shared-links'
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.showSharedLinks,
      args: () => ({ restore: true }),
      name: () => 'panel'
    });

    const showPanel = async (restore = false): Promise<void> => {
      if (!panel || panel.isDisposed) {
        const { createSharedLinksPanel } = await import('./panel');
        panel = createSharedLinksPanel(api, trans, app.commands);
        app.shell.add(panel, 'main');
        void tracker.add(panel);
      }
      if (restore) {
        void panel.content.refresh();
        return;
      }
      app.shell.activateById(panel.id);
      await panel.content.refresh();
    };

    app.commands.addCommand(CommandIDs.shareNotebook, {
      label: args => (args.toolbar ? trans.__('Share') : trans.__('Share…')),
      caption: trans.__(
        'Create a read-only link to this notebook for people without access to this server'
      ),
      icon: args => (args.toolbar ? shareIcon : undefined),
      isEnabled: args =>
        typeof args.path === 'string' ||
        notebookOf(app.shell.currentWidget) !== null,
      execute: async args => {
        const document = notebookOf(app.shell.currentWidget);
        const path =
          typeof args.path === 'string' ? args.path : document?.context.path;
        if (!path) {
          await showErrorMessage(
            trans.__('Share'),
            trans.__('Open the notebook you want to share first.')
          );
          return;
        }
        const { showShareDialog } = await import('./shareDialog');
        await showShareDialog({
          app,
          trans,
          api,
          path,
          // Visitors see the notebook as saved: save what the user sees before sharing it.
          save:
            document && document.context.path === path
              ? async () => {
                  if (document.context.model.dirty) {
                    await document.context.save();
                  }
                }
              : null,
          gistCommand: CommandIDs.saveGist,
          showPanel: () => showPanel()
        });
      }
    });

    app.commands.addCommand(CommandIDs.showSharedLinks, {
      label: trans.__('Shared Links'),
      caption: trans.__('The read-only links made to notebooks on this server'),
      execute: args => showPanel(args.restore === true)
    });

    palette?.addItem({
      command: CommandIDs.shareNotebook,
      category: trans.__('Share')
    });
    palette?.addItem({
      command: CommandIDs.showSharedLinks,
      category: trans.__('Share')
    });
  }
};
