/**
 * The resources feature: a status bar item with RAM, disk and GPU figures, and the
 * "View resources" command (Runtime menu, palette, status bar click) that opens the sidebar
 * panel. The panel's code is loaded only when first opened, or when a reload restores it.
 */
import {
  ILabShell,
  ILayoutRestorer,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, WidgetTracker } from '@jupyterlab/apputils';
import { IStatusBar } from '@jupyterlab/statusbar';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { serverPartLoaded } from '../serverPart/state';
import { resourcesApi } from './api';
import { socketFeed } from './feed';
import { labChannel, ResourcesModel } from './model';
import { ResourcesStatusItem } from './statusItem';

/** Command ids of the resources feature. */
export namespace CommandIDs {
  export const viewResources = 'colab-ext:view-resources';
}

export const resourcesPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:resources',
  description:
    'RAM, disk and GPU figures in the status bar, and a panel showing which notebook holds GPU memory.',
  autoStart: true,
  optional: [
    IStatusBar,
    ICommandPalette,
    ILabShell,
    ITranslator,
    ILayoutRestorer
  ],
  activate: (
    app: JupyterFrontEnd,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    labShell: ILabShell | null,
    translator: ITranslator | null,
    restorer: ILayoutRestorer | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    let model: ResourcesModel | null = null;
    const getModel = (): ResourcesModel => {
      if (!model) {
        const settings = app.serviceManager.serverSettings;
        const api = resourcesApi(settings);
        model = new ResourcesModel(
          api.sample,
          labChannel(settings.baseUrl),
          socketFeed(api.socketUrl(), settings),
          app.restored
        );
      }
      return model;
    };
    let panel: Widget | null = null;
    // The panel is made on first use, so a reload brings it back by running the command again
    // (with `restore`: the restorer, not the command, then shows it as it was).
    const tracker = new WidgetTracker<Widget>({
      namespace: 'colab-ext-resources'
    });
    void restorer?.restore(tracker, {
      command: CommandIDs.viewResources,
      args: () => ({ restore: true }),
      name: () => 'panel'
    });

    app.commands.addCommand(CommandIDs.viewResources, {
      label: trans.__('View resources'),
      caption: trans.__(
        'RAM, CPU, disk and GPUs of this runtime, and which notebook holds GPU memory'
      ),
      execute: async args => {
        if (!panel || panel.isDisposed) {
          const { ResourcesPanel } = await import('./panel');
          panel = new ResourcesPanel(
            getModel(),
            id => app.serviceManager.kernels.shutdown(id),
            trans
          );
          app.shell.add(panel, 'right', { rank: 600 });
          void tracker.add(panel);
        }
        if (args.restore === true) {
          return;
        }
        app.shell.activateById(panel.id);
        if (labShell?.rightCollapsed) {
          labShell.expandRight();
        }
      }
    });
    palette?.addItem({
      command: CommandIDs.viewResources,
      category: trans.__('Runtime')
    });

    // Without the server part there is nothing to show: the server-part notice says why.
    if (statusBar && serverPartLoaded()) {
      const item = new ResourcesStatusItem(getModel(), () => {
        void app.commands.execute(CommandIDs.viewResources);
      });
      item.node.setAttribute('aria-label', trans.__('View resources'));
      statusBar.registerStatusItem('colab-ext:resources', {
        item,
        align: 'left',
        rank: 100
      });
    }
  }
};
