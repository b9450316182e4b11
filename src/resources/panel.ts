/**
 * The resources sidebar panel: RAM, CPU and disk with history, a card per GPU, the driver's
 * state in words, and who holds GPU memory. Loaded lazily when first opened.
 */
import { Dialog, Notification, showDialog } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Message } from '@lumino/messaging';
import { Widget } from '@lumino/widgets';

import { element, Figure, setText } from './dom';
import { formatUsage } from './format';
import { GpuCard } from './gpuCard';
import { HolderTable } from './holderTable';
import { resourcesIcon } from './icon';
import { ResourcesModel } from './model';
import { sparkline } from './sparkline';
import { IGpuHolder, IResources } from './types';

/** Shuts a kernel down by id (the lab's kernel manager, so every view learns of it). */
export type KernelShutdown = (kernelId: string) => Promise<void>;

export class ResourcesPanel extends Widget {
  constructor(
    private readonly model: ResourcesModel,
    private readonly shutDownKernel: KernelShutdown,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.id = 'colab-ext-resources';
    this.addClass('jp-colab-Resources');
    this.title.icon = resourcesIcon;
    this.title.caption = trans.__('Resources');
    this.ram = new Figure(trans.__('RAM'), 'ram');
    this.cpu = new Figure(trans.__('CPU'), 'cpu');
    this.disk = new Figure(trans.__('Disk'), 'disk');
    this.holdersTitle = element(
      'h3',
      undefined,
      trans.__('Who holds GPU memory')
    );
    this.holders = new HolderTable(trans, (holder, label) => {
      void this.confirmShutDown(holder, label);
    });
    const system = element('section', 'jp-colab-Resources-system');
    system.append(this.ram.node, this.cpu.node, this.disk.node);
    this.gpuSection.append(
      element('h3', undefined, trans.__('GPUs')),
      this.gpuState,
      this.cards,
      this.holdersTitle,
      this.holders.node
    );
    this.node.append(
      element('h2', undefined, trans.__('Resources')),
      this.banner,
      this.remote,
      system,
      this.gpuSection,
      this.tpu
    );
    this.remote.hidden = true;
    model.changed.connect(this.render, this);
    this.render();
  }

  dispose(): void {
    this.model.changed.disconnect(this.render, this);
    super.dispose();
  }

  protected onAfterShow(msg: Message): void {
    this.model.wantHistory = true;
  }

  protected onAfterHide(msg: Message): void {
    this.model.wantHistory = false;
  }

  private render(): void {
    const resources = this.model.resources;
    const error = this.model.error;
    setText(
      this.banner,
      error ? this.trans.__('Not up to date: %1', error) : ''
    );
    this.banner.hidden = !error;
    if (!resources) {
      setText(this.gpuState, this.trans.__('Asking the server…'));
      return;
    }
    // A user on a cluster would otherwise read the server's figures as their kernel's.
    setText(
      this.remote,
      resources.kernels_remote
        ? this.trans.__(
            'Kernels run on a cluster gateway: these figures are this server’s machine, not your kernels’. Their memory and GPUs are the cluster’s to show.'
          )
        : ''
    );
    this.remote.hidden = !resources.kernels_remote;
    this.renderSystem(resources);
    this.renderGpus(resources);
    const tpu = resources.tpu;
    setText(
      this.tpu,
      tpu.present
        ? this.trans.__('TPU devices: %1', tpu.devices.join(', '))
        : ''
    );
    this.tpu.hidden = !tpu.present;
  }

  private renderSystem(resources: IResources): void {
    const t = this.trans;
    const { memory, disk, cpu, history } = resources;
    this.ram.set(
      memory ? formatUsage(memory.used_bytes, memory.total_bytes) : null,
      resources.system_problem ?? undefined
    );
    setText(
      this.ram.node.firstElementChild as HTMLElement,
      memory?.source === 'cgroup' ? t.__('RAM (container)') : t.__('RAM')
    );
    const cpus = cpu.limit ?? cpu.count;
    this.cpu.set(
      cpu.percent === null
        ? null
        : t.__('%1% of %2 CPUs', cpu.percent.toFixed(0), cpus)
    );
    setText(
      this.cpu.node.firstElementChild as HTMLElement,
      cpu.limit ? t.__('CPU (container)') : t.__('CPU')
    );
    this.disk.set(disk ? formatUsage(disk.used_bytes, disk.total_bytes) : null);
    if (history && memory) {
      this.ram.draw(
        sparkline(
          history.memory_used_bytes,
          memory.total_bytes,
          t.__('RAM history')
        )
      );
      this.cpu.draw(sparkline(history.cpu_percent, 100, t.__('CPU history')));
    }
  }

  private renderGpus(resources: IResources): void {
    const gpu = resources.gpu;
    const message =
      gpu.message ??
      (gpu.devices.length ? '' : this.trans.__('No GPU on this runtime.'));
    setText(this.gpuState, message);
    this.gpuState.dataset.state = gpu.state;
    this.gpuState.hidden = !message;
    const seen = new Set<string>();
    for (const device of gpu.devices) {
      seen.add(device.uuid);
      let card = this.gpuCards.get(device.uuid);
      if (!card) {
        card = new GpuCard(device, this.trans);
        this.gpuCards.set(device.uuid, card);
      }
      card.update(device, resources.history);
      this.cards.appendChild(card.node);
    }
    for (const [uuid, card] of this.gpuCards) {
      if (!seen.has(uuid)) {
        card.node.remove();
        this.gpuCards.delete(uuid);
      }
    }
    const anyGpu = gpu.devices.length > 0;
    this.holdersTitle.hidden = !anyGpu;
    this.holders.node.hidden = !anyGpu;
    this.holders.update(gpu.holders);
  }

  private async confirmShutDown(
    holder: IGpuHolder,
    label: string
  ): Promise<void> {
    const t = this.trans;
    const kernelId = holder.kernel_id;
    if (!kernelId) {
      return;
    }
    const answer = await showDialog({
      title: t.__('Shut down this kernel?'),
      body: t.__(
        'The kernel of %1 will stop: its variables are lost and its GPU memory is freed. The notebook itself stays as last saved.',
        label
      ),
      buttons: [
        Dialog.cancelButton(),
        Dialog.warnButton({ label: t.__('Shut down') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    try {
      await this.shutDownKernel(kernelId);
      Notification.success(t.__('The kernel of %1 was shut down.', label), {
        autoClose: 4000
      });
    } catch (error) {
      Notification.error(
        t.__('Could not shut down the kernel of %1: %2', label, String(error))
      );
    }
    await this.model.refresh();
  }

  private banner = element('div', 'jp-colab-Resources-banner');
  private remote = element('p', 'jp-colab-Resources-remote');
  private ram: Figure;
  private cpu: Figure;
  private disk: Figure;
  private gpuSection = element('section', 'jp-colab-Resources-gpus');
  private gpuState = element('p', 'jp-colab-Resources-gpuState');
  private cards = element('div', 'jp-colab-Resources-cards');
  private gpuCards = new Map<string, GpuCard>();
  private holdersTitle: HTMLHeadingElement;
  private holders: HolderTable;
  private tpu = element('p', 'jp-colab-Resources-note');
}
