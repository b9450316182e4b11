/**
 * The shell feature: `!` lines and `%%shell` cells run on the server for every kernel. It
 * provides JupyterLab's notebook cell executor (the `INotebookCellExecutor` token), which every
 * way of running a cell goes through; cells without shell work are handed to JupyterLab's own
 * `runCell` unchanged.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { INotebookCellExecutor } from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { ShellCellExecutor } from './executor';

export const shellPlugin: JupyterFrontEndPlugin<INotebookCellExecutor> = {
  id: 'colab-ext:shell',
  description:
    'Runs `!` lines and `%%shell` cells on the server in every kernel, streamed, interactive and interruptible.',
  autoStart: true,
  provides: INotebookCellExecutor,
  optional: [ISettingRegistry, ITranslator],
  activate: (
    app,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ): INotebookCellExecutor => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    let routeIPythonBang = false;
    if (settingRegistry) {
      void settingRegistry
        .load('colab-ext:shell')
        .then(settings => {
          const read = () => {
            routeIPythonBang =
              settings.get('routeIPythonBang').composite === true;
          };
          read();
          settings.changed.connect(read);
        })
        .catch(reason =>
          console.warn('colab-ext: shell settings did not load', reason)
        );
    }
    return new ShellCellExecutor({
      trans,
      routeIPythonBang: () => routeIPythonBang,
      serverSettings: app.serviceManager.serverSettings
    });
  }
};
