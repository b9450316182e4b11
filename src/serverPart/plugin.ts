/**
 * Says once, at start-up, when colab-ext's server part is missing or of another version,
 * instead of letting each feature fail with its own 404.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { ITranslator, nullTranslator } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  serverPartExplanation,
  serverPartNotice,
  serverPartProblem
} from './state';

export const serverPartPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:server-part',
  description:
    "Tells the user once when colab-ext's server part is not running or is of another version.",
  autoStart: true,
  optional: [ITranslator],
  activate: (app: JupyterFrontEnd, translator: ITranslator | null): void => {
    const problem = serverPartProblem();
    if (!problem) {
      return;
    }
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const explanation = serverPartExplanation(problem);
    console.warn(`colab-ext: ${explanation.join(' ')}`);
    // After the layout is restored: the notification must not delay the first page.
    void app.restored.then(() => {
      Notification.warning(serverPartNotice(problem), {
        autoClose: false,
        actions: [
          {
            label: trans.__('How to fix'),
            caption: trans.__('Why it happens and what to do'),
            callback: () => {
              const body = new Widget();
              body.addClass('jp-colab-ServerPartHelp');
              for (const paragraph of explanation) {
                const p = document.createElement('p');
                p.textContent = paragraph;
                body.node.appendChild(p);
              }
              void showDialog({
                title: trans.__('colab-ext: the server part is not running'),
                body,
                buttons: [Dialog.okButton()]
              });
            }
          }
        ]
      });
    });
  }
};
