/**
 * The MIG instances of a GPU card: one row each with its profile, memory and UUID, and its
 * utilisation said to be unavailable (NVML reports none for an instance) rather than left blank.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { element, Figure, setText } from './dom';
import { formatUsage } from './format';
import { IGpuDevice, IMigDevice } from './types';

/** The instance's profile ("3g.20gb") out of its full name, or the name itself. */
export function migProfile(instance: IMigDevice): string {
  const match = /\bMIG\s+(\S+)\s*$/.exec(instance.name);
  return match ? match[1] : instance.name;
}

class MigRow {
  constructor(trans: TranslationBundle) {
    this.node = element('li', 'jp-colab-MigDevice');
    this.memory = new Figure(trans.__('Memory'), 'memory');
    this.utilization = new Figure(trans.__('Utilisation'), 'utilization');
    this.node.append(
      this.title,
      this.uuid,
      this.memory.node,
      this.utilization.node
    );
    this.trans = trans;
  }

  update(instance: IMigDevice): void {
    const t = this.trans;
    this.node.dataset.mig = String(instance.index);
    const ids =
      instance.gpu_instance_id === null ||
      instance.gpu_instance_id === undefined
        ? ''
        : ` · GI ${instance.gpu_instance_id} CI ${instance.compute_instance_id ?? '?'}`;
    setText(
      this.title,
      t.__('MIG %1 · %2', instance.index, migProfile(instance)) + ids,
      instance.name
    );
    setText(this.uuid, instance.uuid);
    this.memory.set(
      instance.memory_used_bytes === null
        ? null
        : formatUsage(instance.memory_used_bytes, instance.memory_total_bytes),
      instance.unavailable.memory_used_bytes
    );
    this.utilization.set(
      instance.utilization_percent === null
        ? null
        : `${instance.utilization_percent}%`,
      instance.unavailable.utilization_percent
    );
  }

  readonly node: HTMLLIElement;
  private title = element('div', 'jp-colab-MigDevice-title');
  private uuid = element('div', 'jp-colab-GpuCard-uuid');
  private memory: Figure;
  private utilization: Figure;
  private trans: TranslationBundle;
}

/** The list under a GPU card's figures; hidden when MIG is off. */
export class MigList {
  constructor(private readonly trans: TranslationBundle) {
    this.node = element('div', 'jp-colab-MigList');
    this.node.append(this.heading, this.note, this.list);
  }

  update(device: IGpuDevice): void {
    const instances = device.mig_devices ?? [];
    const why = device.unavailable.mig_devices;
    this.node.hidden = !device.mig_enabled;
    setText(
      this.heading,
      this.trans._n('%1 MIG instance', '%1 MIG instances', instances.length)
    );
    setText(
      this.note,
      why
        ? this.trans.__('The instances could not be listed: %1.', why)
        : instances.length === 0
          ? this.trans.__('MIG is enabled but no instance exists yet.')
          : ''
    );
    this.note.hidden = this.note.textContent === '';
    while (this.rows.length > instances.length) {
      this.rows.pop()!.node.remove();
    }
    instances.forEach((instance, i) => {
      let row: MigRow | undefined = this.rows[i];
      if (row === undefined) {
        row = new MigRow(this.trans);
        this.rows.push(row);
        this.list.appendChild(row.node);
      }
      row.update(instance);
    });
  }

  readonly node: HTMLDivElement;
  private heading = element('h4', 'jp-colab-MigList-heading');
  private note = element('p', 'jp-colab-Resources-note');
  private list = element('ul', 'jp-colab-MigList-list');
  private rows: MigRow[] = [];
}
