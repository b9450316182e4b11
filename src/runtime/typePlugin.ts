/**
 * The runtime-type plugin: the "Change runtime type" command (Runtime menu and notebook toolbar,
 * declared in `schema/runtime.json`), a status bar item with the current notebook's runtime
 * ("GPU · H100 #0"), and a notice when a notebook's kernel does not run on the runtime its
 * metadata asks for. The dialog is loaded only when the command runs.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette, Notification } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { IStatusBar } from '@jupyterlab/statusbar';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';
import { Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { RuntimeApi, runtimeApi } from './api';
import { RuntimeLifetimeStatus } from './lifetime/status';
import { watchLifetimes } from './lifetime/watch';
import { CommandIDs } from './plugin';
import { IKernelRuntime, requestedType } from './runtimeType';

export namespace RuntimeTypeCommandIDs {
  export const change = 'colab-ext:change-runtime-type';
}

/** A chip: the picker's icon in the toolbar and palette. */
export const runtimeTypeIcon = new LabIcon({
  name: 'colab-ext:runtime-type',
  svgstr:
    '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 24 24">' +
    '<path class="jp-icon3" fill="#616161" d="M9 3v2H7a2 2 0 0 0-2 2v2H3v2h2v2H3v2h2v2a2 2 0 0 0 2 2h2v2h2v-2h2v2h2v-2h2a2 2 0 0 0 2-2v-2h2v-2h-2v-2h2V9h-2V7a2 2 0 0 0-2-2h-2V3h-2v2h-2V3zm-2 4h10v10H7zm2 2v6h6V9z"/>' +
    '</svg>'
});

/** The status bar item: the current notebook's runtime; a click opens the picker. */
class RuntimeTypeStatus extends Widget {
  constructor(
    private readonly trans: TranslationBundle,
    onClick: () => void
  ) {
    super();
    this.addClass('jp-colab-RuntimeTypeStatus');
    this.node.addEventListener('click', onClick);
    this.display(null);
  }

  display(runtime: IKernelRuntime | null, pending = false): void {
    const text = pending
      ? this.trans.__('Runtime…')
      : (runtime?.summary ?? this.trans.__('No runtime'));
    this.node.textContent = text;
    this.node.dataset.runtimeType = runtime?.type ?? '';
    this.node.title = this.trans.__(
      'Runtime type of this notebook: %1. Click to change it.',
      text
    );
  }
}

export const runtimeTypePlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:runtime-type',
  description:
    'Change runtime type (CPU / GPU / TPU) per notebook, with a status bar item showing it.',
  autoStart: true,
  requires: [INotebookTracker],
  optional: [IStatusBar, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker,
    statusBar: IStatusBar | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const api = runtimeApi(app.serviceManager.serverSettings);
    const status = new RuntimeTypeStatus(trans, () => {
      void app.commands.execute(RuntimeTypeCommandIDs.change);
    });
    const refresh = async (panel: NotebookPanel | null): Promise<void> => {
      // Nothing of colab-ext may sit on the way to the first page: ask once it is up.
      await app.restored;
      const kernelId = panel?.sessionContext.session?.kernel?.id;
      if (!panel || !kernelId) {
        status.display(null);
        return;
      }
      try {
        const runtime = await api.kernelRuntime(kernelId);
        if (tracker.currentWidget === panel) {
          status.display(runtime);
        }
      } catch {
        status.display(null);
      }
    };

    app.commands.addCommand(RuntimeTypeCommandIDs.change, {
      label: trans.__('Change runtime type'),
      caption: trans.__('Run this notebook on CPU, a GPU or a TPU'),
      icon: args => (args.toolbar ? runtimeTypeIcon : undefined),
      isEnabled: () => tracker.currentWidget !== null,
      execute: async () => {
        const panel = tracker.currentWidget;
        if (!panel) {
          return;
        }
        const { changeRuntimeType } = await import('./typeDialog');
        const runtime = await changeRuntimeType(panel, api, trans);
        if (runtime && tracker.currentWidget === panel) {
          status.display(runtime);
        }
      }
    });
    palette?.addItem({
      command: RuntimeTypeCommandIDs.change,
      category: trans.__('Runtime')
    });

    const watch = (panel: NotebookPanel): void => {
      const context = panel.sessionContext;
      context.kernelChanged.connect(() => {
        if (tracker.currentWidget === panel) {
          void refresh(panel);
        }
      });
      let restarting = false;
      context.statusChanged.connect((_, now) => {
        // A restart (ours or Kernel > Restart) ends in "idle": look again then.
        // ("starting" is left out: the new kernel's own "starting" may arrive after "idle".)
        if (now === 'restarting' || now === 'autorestarting') {
          restarting = true;
          if (tracker.currentWidget === panel) {
            status.display(null, true);
          }
        } else if (now === 'idle' && restarting) {
          restarting = false;
          void refresh(panel);
        }
      });
      void Promise.all([panel.context.ready, context.ready]).then(() => {
        if (tracker.currentWidget === panel) {
          void refresh(panel);
        }
        return warnOnMismatch(app, api, panel, trans);
      });
    };
    tracker.widgetAdded.connect((_, panel) => watch(panel));
    // The status bar asks isActive again when this signal fires.
    const activeChanged = new Signal<RuntimeTypeStatus, void>(status);
    tracker.currentChanged.connect((_, panel) => {
      activeChanged.emit();
      void refresh(panel);
    });

    statusBar?.registerStatusItem('colab-ext:runtime-type', {
      item: status,
      align: 'left',
      rank: 5,
      isActive: () => tracker.currentWidget !== null,
      activeStateChanged: activeChanged
    });

    // Beside it, how long the kernel is up and when it would be shut down; warnings before,
    // and why afterwards, for every open notebook (lifetime/watch.ts).
    const lifetimeStatus = new RuntimeLifetimeStatus(trans, () => {
      void app.commands.execute(CommandIDs.aboutRuntime);
    });
    watchLifetimes(tracker, api, trans, view => lifetimeStatus.display(view));
    statusBar?.registerStatusItem('colab-ext:runtime-lifetime', {
      item: lifetimeStatus,
      align: 'left',
      rank: 5,
      isActive: () =>
        tracker.currentWidget !== null && lifetimeStatus.hasLifetime,
      activeStateChanged: lifetimeStatus.activeStateChanged
    });
  }
};

/**
 * The server starts a notebook's kernel on the runtime its metadata asks for. When it could not
 * (no free GPU, or a kernel that was already running), say so and offer the picker.
 */
async function warnOnMismatch(
  app: JupyterFrontEnd,
  api: RuntimeApi,
  panel: NotebookPanel,
  trans: TranslationBundle
): Promise<void> {
  await app.restored;
  const kernelId = panel.sessionContext.session?.kernel?.id;
  const wanted = requestedType(panel.model?.metadata ?? {});
  if (!kernelId || !wanted) {
    return;
  }
  let runtime: IKernelRuntime;
  try {
    runtime = await api.kernelRuntime(kernelId);
  } catch {
    return;
  }
  if (runtime.type === wanted) {
    return;
  }
  Notification.warning(
    trans.__(
      '%1 asks for a %2 runtime, but its kernel runs as %3.',
      panel.context.localPath,
      wanted.toUpperCase(),
      runtime.summary
    ),
    {
      autoClose: 8000,
      actions: [
        {
          label: trans.__('Change runtime type'),
          callback: () => {
            void app.commands.execute(RuntimeTypeCommandIDs.change);
          }
        }
      ]
    }
  );
}
