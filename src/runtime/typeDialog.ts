/**
 * Runtime > Change runtime type: the picker, the "state is lost" confirmation, the restart and
 * the notebook metadata. Loaded lazily by the runtime-type plugin.
 */
import {
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { formatBytes } from './about';
import { RuntimeApi } from './api';
import {
  describeGpu,
  describeServerDefault,
  IKernelRuntime,
  initialType,
  IRuntimeChoice,
  IRuntimeTypeOption,
  IRuntimeTypes,
  isChange,
  requestedType,
  runtimeMetadata,
  SERVER_DEFAULT
} from './runtimeType';

/** The value of the "GPU" select that means "let the server pick". */
const ANY_GPU = '';

/**
 * Show the picker for a notebook and apply the choice. Resolves with the kernel's runtime after
 * a change, or null when nothing changed.
 */
export async function changeRuntimeType(
  panel: NotebookPanel,
  api: RuntimeApi,
  trans: TranslationBundle
): Promise<IKernelRuntime | null> {
  const kernelId = panel.sessionContext.session?.kernel?.id ?? null;
  let catalogue: IRuntimeTypes;
  let current: IKernelRuntime | null = null;
  try {
    [catalogue, current] = await Promise.all([
      api.types(kernelId),
      kernelId ? api.kernelRuntime(kernelId) : Promise.resolve(null)
    ]);
  } catch (error) {
    await showErrorMessage(trans.__('Change runtime type'), error as Error);
    return null;
  }
  const metadata = panel.model?.metadata ?? {};
  const body = new RuntimeTypeBody(
    catalogue,
    current,
    initialType(current, requestedType(metadata)),
    trans
  );
  const result = await showDialog({
    title: trans.__('Change runtime type'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Save') })
    ],
    focusNodeSelector: 'input[type="radio"]:checked'
  });
  if (!result.button.accept || !result.value) {
    return null;
  }
  const choice = result.value;
  if (choice.type === SERVER_DEFAULT) {
    return null; // kept as it runs: no restart, and the notebook's own request stays
  }
  const option = catalogue.types.find(t => t.id === choice.type);
  if (!option) {
    return null;
  }
  if (!kernelId) {
    // No kernel yet: the choice is saved, and the server reads it when the kernel starts.
    applyMetadata(
      panel,
      { type: option.id, accelerator: option.accelerator, gpus: [] },
      false
    );
    await panel.context.save();
    Notification.info(
      trans.__('%1 is saved: the kernel starts on it.', option.label),
      { autoClose: 4000 }
    );
    return null;
  }
  if (!isChange(current, choice)) {
    if (current) {
      applyMetadata(panel, current, choice.gpus.length > 0);
    }
    return null;
  }
  if (!(await confirmRestart(option, trans))) {
    return null;
  }
  return switchRuntime(
    panel,
    api,
    kernelId,
    choice,
    option,
    catalogue.gateway,
    trans
  );
}

async function confirmRestart(
  option: IRuntimeTypeOption,
  trans: TranslationBundle
): Promise<boolean> {
  const answer = await showDialog({
    title: trans.__('Change runtime type?'),
    body: trans.__(
      'The kernel restarts as %1. Its variables, imported modules and other state are lost; outputs already in the notebook stay.',
      option.label
    ),
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.warnButton({ label: trans.__('Restart as %1', option.label) })
    ]
  });
  return answer.button.accept;
}

async function switchRuntime(
  panel: NotebookPanel,
  api: RuntimeApi,
  kernelId: string,
  choice: IRuntimeChoice,
  option: IRuntimeTypeOption,
  gateway: boolean,
  trans: TranslationBundle
): Promise<IKernelRuntime | null> {
  const kernel = panel.sessionContext.session?.kernel;
  const local = !gateway;
  const request = api
    .changeKernelRuntime(kernelId, choice)
    .then(async runtime => {
      if (local && kernel && runtime.kernel_id === kernelId) {
        // The server restarted the kernel in place. As JupyterLab does after the server
        // auto-restarts a kernel, open a fresh connection so the page follows the new process.
        // The new process's "starting" status may reach the page after that, and nothing
        // would follow it (the server does not relay the status of kernel-info requests):
        // answer it with an empty, silent execution, which ends in "idle".
        const nudge = (_: unknown, status: string) => {
          if (status === 'starting') {
            kernel.requestExecute({
              code: '',
              silent: true,
              store_history: false
            });
          }
        };
        kernel.statusChanged.connect(nudge);
        setTimeout(() => kernel.statusChanged.disconnect(nudge), 15000);
        await kernel.reconnect();
      }
      return runtime;
    });
  // Notifications carry JSON; the summary is all they show.
  Notification.promise(
    request.then(runtime => runtime.summary),
    {
      pending: {
        message: trans.__('Restarting the runtime as %1…', option.label),
        options: { autoClose: false }
      },
      success: {
        message: (summary: unknown) =>
          trans.__('The runtime is now %1.', String(summary)),
        options: { autoClose: 4000 }
      },
      error: {
        message: (error: unknown) =>
          trans.__(
            'The runtime type did not change: %1',
            (error as Error).message
          )
      }
    }
  );
  let runtime: IKernelRuntime;
  try {
    runtime = await request;
  } catch {
    return null; // the notification says why
  }
  if (runtime.kernel_id !== kernelId) {
    // On a gateway the server started a new kernel and bound the session to it: follow it.
    await panel.sessionContext.session?.changeKernel({ id: runtime.kernel_id });
  }
  applyMetadata(panel, runtime, choice.gpus.length > 0);
  return runtime;
}

function applyMetadata(
  panel: NotebookPanel,
  runtime: Pick<IKernelRuntime, 'type' | 'accelerator' | 'gpus'>,
  pinned: boolean
): void {
  const model = panel.model;
  if (!model) {
    return;
  }
  const changes = runtimeMetadata(model.metadata, runtime, pinned);
  for (const [key, value] of Object.entries(changes)) {
    if (value === undefined) {
      if (key in model.metadata) {
        model.deleteMetadata(key);
      }
    } else if (
      JSON.stringify(model.getMetadata(key)) !== JSON.stringify(value)
    ) {
      model.setMetadata(key, value);
    }
  }
}

/** The picker: one radio per type (disabled with the reason when unavailable), and the GPU. */
class RuntimeTypeBody
  extends Widget
  implements Dialog.IBodyWidget<IRuntimeChoice>
{
  constructor(
    private readonly catalogue: IRuntimeTypes,
    current: IKernelRuntime | null,
    selected: string | null,
    trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-colab-RuntimeType');
    const group = document.createElement('fieldset');
    const legend = document.createElement('legend');
    legend.textContent = trans.__('Runtime type');
    group.append(legend);
    // A kernel started without a type is shown as it is, not as a type it does not have.
    const serverDefault = current !== null && current.type === null;
    if (serverDefault) {
      group.append(
        this.optionRow(
          {
            id: SERVER_DEFAULT,
            label: trans.__('Server default'),
            description: describeServerDefault(current, catalogue.gpus.length),
            available: true,
            reason: null
          },
          selected === SERVER_DEFAULT
        )
      );
    }
    const usable = catalogue.types.filter(t => t.available);
    const initial =
      serverDefault && selected === SERVER_DEFAULT
        ? null
        : (catalogue.types.find(t => t.id === selected && t.available) ??
          usable[0]);
    for (const option of catalogue.types) {
      group.append(this.optionRow(option, option === initial));
    }
    this._gpuSelect = this.gpuSelect(trans);
    this._gpuRow = document.createElement('label');
    this._gpuRow.className = 'jp-colab-RuntimeType-gpu';
    this._gpuRow.append(trans.__('GPU'), this._gpuSelect);
    this.node.append(group, this._gpuRow);
    if (catalogue.gateway) {
      this.node.append(
        note(trans.__('Kernels run on a cluster: the gateway places them.'))
      );
    } else if (catalogue.exclusive) {
      this.node.append(
        note(trans.__('GPUs are exclusive here: one runtime per GPU.'))
      );
    }
    this.node.addEventListener('change', () => this.update());
    this.update();
  }

  getValue(): IRuntimeChoice {
    const checked = this.node.querySelector<HTMLInputElement>(
      'input[type="radio"]:checked'
    );
    const type = checked?.value ?? 'cpu';
    const gpu = this._gpuRow.hidden ? ANY_GPU : this._gpuSelect.value;
    return { type, gpus: gpu === ANY_GPU ? [] : [gpu] };
  }

  protected onUpdateRequest(): void {
    const type = this.catalogue.types.find(t => t.id === this.getValue().type);
    this._gpuRow.hidden = !(
      type?.accelerator === 'gpu' &&
      type.gpus === 1 &&
      !this.catalogue.gateway &&
      this.catalogue.gpus.length > 0
    );
  }

  private optionRow(
    option: Pick<
      IRuntimeTypeOption,
      'id' | 'label' | 'description' | 'available' | 'reason'
    >,
    checked: boolean
  ): HTMLElement {
    const row = document.createElement('label');
    row.className = 'jp-colab-RuntimeType-option';
    row.dataset.type = option.id || 'server-default';
    const input = document.createElement('input');
    input.type = 'radio';
    input.name = 'colab-runtime-type';
    input.value = option.id;
    input.checked = checked;
    input.disabled = !option.available;
    const label = document.createElement('span');
    label.className = 'jp-colab-RuntimeType-label';
    label.textContent = option.label;
    const detail = document.createElement('span');
    detail.className = option.available
      ? 'jp-colab-RuntimeType-detail'
      : 'jp-colab-RuntimeType-reason';
    detail.textContent = option.reason ?? option.description;
    row.append(input, label, detail);
    if (!option.available) {
      row.classList.add('jp-mod-disabled');
      row.title = option.reason ?? '';
    }
    return row;
  }

  private gpuSelect(trans: TranslationBundle): HTMLSelectElement {
    const select = document.createElement('select');
    select.className = 'jp-mod-styled';
    select.append(
      new Option(
        trans.__('Any free GPU (fewest runtimes, most free memory)'),
        ANY_GPU
      )
    );
    for (const gpu of this.catalogue.gpus) {
      const option = new Option(describeGpu(gpu, formatBytes), gpu.uuid);
      option.disabled = !gpu.available;
      select.append(option);
    }
    select.value = ANY_GPU;
    return select;
  }

  private readonly _gpuSelect: HTMLSelectElement;
  private readonly _gpuRow: HTMLLabelElement;
}

function note(text: string): HTMLElement {
  const paragraph = document.createElement('p');
  paragraph.className = 'jp-colab-RuntimeType-note';
  paragraph.textContent = text;
  return paragraph;
}
