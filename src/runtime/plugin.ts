/**
 * The runtime feature: the top-level Runtime menu (declared in `schema/runtime.json`) and its
 * "About this runtime" command. The dialog's code is loaded only when the command runs, so the
 * lab starts as fast with colab-ext as without it.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker } from '@jupyterlab/notebook';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { runtimeApi } from './api';

/** Command ids of the runtime feature. */
export namespace CommandIDs {
  export const aboutRuntime = 'colab-ext:about-runtime';
}

export const runtimePlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:runtime',
  description:
    'The Runtime menu: facts about this runtime, and (later) its runtime type.',
  autoStart: true,
  optional: [ICommandPalette, ITranslator, INotebookTracker],
  activate: (
    app: JupyterFrontEnd,
    palette: ICommandPalette | null,
    translator: ITranslator | null,
    tracker: INotebookTracker | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    app.commands.addCommand(CommandIDs.aboutRuntime, {
      label: trans.__('About this runtime'),
      caption: trans.__(
        'Versions, machine, GPUs and running kernels of this Jupyter server'
      ),
      execute: async () => {
        const { showAboutRuntimeDialog } = await import('./aboutDialog');
        // The current notebook's kernel: the dialog adds its uptime and shutdowns.
        const kernel = tracker?.currentWidget?.sessionContext.session?.kernel;
        await showAboutRuntimeDialog(
          runtimeApi(app.serviceManager.serverSettings),
          trans,
          kernel?.id ?? null
        );
      }
    });
    palette?.addItem({
      command: CommandIDs.aboutRuntime,
      category: trans.__('Runtime')
    });
  }
};
