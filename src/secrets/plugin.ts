/**
 * The Secrets feature: a left-sidebar panel (key icon, as Colab's) to add, edit, show and delete
 * secrets and switch each notebook's access, and the prompt that `userdata.get` raises in a
 * notebook without access. Panel and prompt code load only when used.
 *
 * The kernel announces a waiting `userdata.get` on IOPub (`colab_ext_secret_request`); a page
 * that opens the notebook later asks the server once for waiting requests, so a reload still
 * sees the prompt. Nothing is polled.
 */
import {
  ILabShell,
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { ICommandPalette } from '@jupyterlab/apputils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { KernelMessage } from '@jupyterlab/services';
import {
  ITranslator,
  nullTranslator,
  TranslationBundle
} from '@jupyterlab/translation';
import { Panel } from '@lumino/widgets';

import { serverPartLoaded } from '../serverPart/state';
import { IAccessRequest, SecretsApi, secretsApi } from './api';
import { keyIcon } from './icon';
import type { SecretsView } from './panel';

/** Command ids of the secrets feature. */
export namespace CommandIDs {
  export const showSecrets = 'colab-ext:show-secrets';
}

/** The IOPub message type the kernel's `userdata.get` sends (kernel_site/.../userdata.py). */
export const REQUEST_MESSAGE = 'colab_ext_secret_request';

/** The sidebar: light until first shown, then it loads the view. */
class SecretsSidebar extends Panel {
  constructor(
    private readonly api: SecretsApi,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.id = 'colab-ext-secrets';
    this.title.icon = keyIcon;
    this.title.caption = trans.__('Secrets');
    this.addClass('jp-colab-SecretsSidebar');
  }

  view: SecretsView | null = null;
  notebook: string | null = null;

  setNotebook(path: string | null): void {
    this.notebook = path;
    if (this.view) {
      this.view.notebook = path;
    }
  }

  async refresh(): Promise<void> {
    await this.view?.refresh();
  }

  protected onAfterShow(): void {
    if (this.view === null) {
      void import('./panel').then(({ SecretsView }) => {
        if (this.view === null) {
          this.view = new SecretsView(this.api, this.trans);
          this.view.notebook = this.notebook;
          this.addWidget(this.view);
          void this.view.refresh();
        }
      });
    }
  }
}

export const secretsPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:secrets',
  description:
    'Secrets: a sidebar panel of named secrets with per-notebook access, read in kernels with google.colab.userdata.get.',
  autoStart: true,
  optional: [INotebookTracker, ILabShell, ICommandPalette, ITranslator],
  activate: (
    app: JupyterFrontEnd,
    tracker: INotebookTracker | null,
    labShell: ILabShell | null,
    palette: ICommandPalette | null,
    translator: ITranslator | null
  ): void => {
    if (!serverPartLoaded()) {
      return; // the server-part notice says why nothing works
    }
    const trans = (translator ?? nullTranslator).load('colab_ext');
    const api = secretsApi(app.serviceManager.serverSettings);
    const sidebar = new SecretsSidebar(api, trans);
    app.shell.add(sidebar, 'left', { rank: 850 });

    app.commands.addCommand(CommandIDs.showSecrets, {
      label: trans.__('Secrets'),
      caption: trans.__('API keys and tokens for userdata.get, per notebook'),
      icon: keyIcon,
      execute: () => {
        app.shell.activateById(sidebar.id);
        if (labShell?.leftCollapsed) {
          labShell.expandLeft();
        }
      }
    });
    palette?.addItem({
      command: CommandIDs.showSecrets,
      category: trans.__('Secrets')
    });

    if (!tracker) {
      return;
    }
    const follow = () =>
      sidebar.setNotebook(tracker.currentWidget?.context.path ?? null);
    tracker.currentChanged.connect(follow);
    follow();

    const ask = async (request: IAccessRequest): Promise<void> => {
      const { promptForAccess } = await import('./grantDialog');
      if (await promptForAccess(request, api, trans)) {
        await sidebar.refresh();
      }
    };
    const askWaiting = async (panel: NotebookPanel): Promise<void> => {
      try {
        for (const request of await api.pendingRequests(panel.context.path)) {
          void ask(request);
        }
      } catch {
        // The prompt is a convenience: the kernel's error says what to do without it.
      }
    };
    const watch = (panel: NotebookPanel): void => {
      panel.context.pathChanged.connect(() => {
        if (tracker.currentWidget === panel) {
          follow();
        }
      });
      panel.sessionContext.iopubMessage.connect((_, message) => {
        if ((message.header.msg_type as string) !== REQUEST_MESSAGE) {
          return;
        }
        const content = (message as KernelMessage.IMessage).content as Partial<
          IAccessRequest & { state: string }
        >;
        if (typeof content.id !== 'string') {
          return;
        }
        if (content.state === 'open') {
          void ask(content as IAccessRequest);
        } else {
          void import('./grantDialog').then(({ closePrompt }) =>
            closePrompt(content.id as string)
          );
        }
      });
      // A page opened (or reloaded) while a cell waits: the request was announced before.
      void panel.sessionContext.ready.then(() => askWaiting(panel));
      panel.sessionContext.kernelChanged.connect(() => void askWaiting(panel));
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));
  }
};
