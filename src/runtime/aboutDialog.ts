/**
 * The "About this runtime" dialog. Loaded lazily by the runtime plugin.
 */
import { Dialog, showErrorMessage } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import {
  describeCpus,
  describeGpus,
  formatBytes,
  formatDuration,
  gatewayFacts,
  IAboutRuntime,
  IRuntimeKernel
} from './about';
import { RuntimeApi } from './api';
import { IKernelLifetime, lifetimeFacts } from './lifetime/model';

/** Fetch the facts and show them; a failure is shown as the server's message. */
export async function showAboutRuntimeDialog(
  api: RuntimeApi,
  trans: TranslationBundle,
  kernelId: string | null = null
): Promise<void> {
  let about: IAboutRuntime;
  // Without it (no notebook, or its kernel gone) the dialog just leaves that section out.
  const lifetime = kernelId
    ? api.kernelLifetime(kernelId).catch(() => null)
    : Promise.resolve(null);
  try {
    about = await api.about();
  } catch (error) {
    await showErrorMessage(trans.__('About this runtime'), error as Error);
    return;
  }
  const dialog = new Dialog({
    title: trans.__('About this runtime'),
    body: new AboutRuntimeBody(about, trans, await lifetime),
    buttons: [Dialog.okButton({ label: trans.__('Close') })]
  });
  // Sized to the window (style/base.css), its body scrolling down to the running kernels.
  dialog.addClass('jp-colab-AboutRuntimeDialog');
  await dialog.launch();
}

/** The dialog's body: fact tables and the kernel list. */
class AboutRuntimeBody extends Widget {
  constructor(
    about: IAboutRuntime,
    trans: TranslationBundle,
    lifetime: IKernelLifetime | null
  ) {
    super();
    this.addClass('jp-colab-AboutRuntime');
    const missing = trans.__('not installed');
    this.node.append(
      factTable(trans.__('Software'), [
        ['colab_ext_version', 'colab-ext', about.colab_ext_version ?? missing],
        [
          'jupyterlab_version',
          'JupyterLab',
          about.jupyterlab_version ?? missing
        ],
        [
          'jupyter_server_version',
          'Jupyter Server',
          about.jupyter_server_version ?? missing
        ],
        ['python_version', 'Python', about.python_version]
      ]),
      factTable(
        about.kernels_remote
          ? trans.__('This server’s machine (not the kernels’)')
          : trans.__('Machine'),
        [
          ['os', trans.__('Operating system'), about.os],
          ['kernel_release', trans.__('Linux kernel'), about.kernel_release],
          ['machine', trans.__('Architecture'), about.machine],
          ['cpu_count', trans.__('CPUs'), describeCpus(about)],
          [
            'memory_total_bytes',
            trans.__('Memory'),
            formatBytes(about.memory_total_bytes)
          ],
          ['gpu', trans.__('GPUs'), describeGpus(about.gpu)],
          ...about.gpu.gpu_names.map((name, index): Fact => [
            `gpu-${index}`,
            `GPU ${index}`,
            name
          ]),
          [
            'server_uptime_s',
            trans.__('Server uptime'),
            formatDuration(about.server_uptime_s)
          ]
        ]
      ),
      ...(about.kernels_remote
        ? [
            factTable(
              trans.__('Kernels on a cluster gateway'),
              gatewayFacts(trans.__.bind(trans))
            )
          ]
        : []),
      ...(lifetime
        ? [
            factTable(
              trans.__('This notebook’s runtime'),
              lifetimeFacts(lifetime, trans.__.bind(trans))
            )
          ]
        : []),
      kernelTable(about.kernels, trans)
    );
  }
}

/** [data-fact key, label, value] */
type Fact = [string, string, string];

function factTable(title: string, facts: Fact[]): HTMLElement {
  const section = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = title;
  const table = document.createElement('table');
  table.className = 'jp-colab-AboutRuntime-facts';
  for (const [key, label, value] of facts) {
    const row = table.insertRow();
    const name = document.createElement('th');
    name.scope = 'row';
    name.textContent = label;
    const cell = row.insertCell();
    cell.dataset.fact = key;
    cell.textContent = value;
    row.prepend(name);
  }
  section.append(heading, table);
  return section;
}

function kernelTable(
  kernels: IRuntimeKernel[],
  trans: TranslationBundle
): HTMLElement {
  const section = document.createElement('section');
  const heading = document.createElement('h3');
  heading.textContent = trans.__('Running kernels (%1)', kernels.length);
  section.append(heading);
  if (kernels.length === 0) {
    const empty = document.createElement('p');
    empty.className = 'jp-colab-AboutRuntime-empty';
    empty.textContent = trans.__('No kernel is running.');
    section.append(empty);
    return section;
  }
  const table = document.createElement('table');
  table.className = 'jp-colab-AboutRuntime-kernels';
  const head = table.createTHead().insertRow();
  for (const label of [
    trans.__('Notebook'),
    trans.__('Kernel'),
    trans.__('State'),
    trans.__('Connections')
  ]) {
    const cell = document.createElement('th');
    cell.scope = 'col';
    cell.textContent = label;
    head.append(cell);
  }
  const body = table.createTBody();
  for (const kernel of kernels) {
    const row = body.insertRow();
    row.dataset.kernelId = kernel.id;
    for (const value of [
      kernel.notebook_path ?? trans.__('(no notebook)'),
      kernel.display_name,
      kernel.execution_state ?? trans.__('unknown'),
      String(kernel.connections)
    ]) {
      row.insertCell().textContent = value;
    }
  }
  section.append(table);
  return section;
}
