/**
 * The forms feature: Colab's `#@param`, `#@title` and `#@markdown` annotations in code cells
 * of any kernel become a form beside the code, drawn from the source alone (nothing runs).
 * The `enabled` setting (`schema/forms.json`) turns forms off and on live.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';
import { CodeCell } from '@jupyterlab/cells';
import {
  INotebookTracker,
  Notebook,
  NotebookActions,
  NotebookPanel
} from '@jupyterlab/notebook';
import { ISettingRegistry } from '@jupyterlab/settingregistry';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';

import { CellForm, ICellFormOptions } from './cellForm';

const PLUGIN_ID = 'colab-ext:forms';

export const formsPlugin: JupyterFrontEndPlugin<void> = {
  id: PLUGIN_ID,
  description:
    "Colab's forms: `#@param` fields, `#@title` and `#@markdown` shown beside the code of annotated cells.",
  autoStart: true,
  requires: [INotebookTracker],
  optional: [ISettingRegistry, ITranslator],
  activate: (
    _app,
    tracker: INotebookTracker,
    settingRegistry: ISettingRegistry | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    let enabled = true;
    const forms = new Set<CellForm>();
    const refreshAll = () => forms.forEach(form => form.refresh());

    const watch = (panel: NotebookPanel) => {
      const notebook = panel.content;
      const known = new WeakSet<CodeCell>();
      const options: ICellFormOptions = {
        trans,
        notebook,
        enabled: () => enabled,
        run: cell => {
          void NotebookActions.runCells(notebook, [cell], panel.sessionContext);
        }
      };
      // Cell widgets are made by the notebook as its model's cell list changes; look for new
      // code cells once it has made them.
      const attachNew = () => {
        if (panel.isDisposed) {
          return;
        }
        for (const cell of notebook.widgets) {
          if (cell instanceof CodeCell && !known.has(cell)) {
            known.add(cell);
            const form = new CellForm(cell, options);
            forms.add(form);
            cell.disposed.connect(() => {
              form.dispose();
              forms.delete(form);
            });
          }
        }
      };
      const watchedModels = new WeakSet<object>();
      const onModel = (current: Notebook) => {
        const model = current.model;
        if (model && !watchedModels.has(model)) {
          watchedModels.add(model);
          model.cells.changed.connect(() => requestAnimationFrame(attachNew));
        }
        attachNew();
      };
      notebook.modelChanged.connect(onModel);
      void panel.context.ready.then(() => onModel(notebook));
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));

    if (settingRegistry) {
      void settingRegistry
        .load(PLUGIN_ID)
        .then(settings => {
          const read = () => {
            const next = settings.get('enabled').composite !== false;
            if (next !== enabled) {
              enabled = next;
              refreshAll();
            }
          };
          read();
          settings.changed.connect(read);
        })
        .catch(reason =>
          console.warn('colab-ext: forms settings did not load', reason)
        );
    }
  }
};
