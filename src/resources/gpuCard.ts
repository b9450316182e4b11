/**
 * One card per GPU: name, utilisation, memory, temperature, power, MIG and PCIe, with charts.
 */
import { TranslationBundle } from '@jupyterlab/translation';

import { element, Figure, setText } from './dom';
import { formatUsage } from './format';
import { MigList } from './migList';
import { sparkline } from './sparkline';
import { IGpuDevice, IResourceHistory } from './types';

export class GpuCard {
  constructor(
    device: IGpuDevice,
    private readonly trans: TranslationBundle
  ) {
    this.figures = {
      utilization: new Figure(trans.__('Utilisation'), 'utilization'),
      memory: new Figure(trans.__('Memory'), 'memory'),
      temperature: new Figure(trans.__('Temperature'), 'temperature'),
      power: new Figure(trans.__('Power'), 'power'),
      mig: new Figure(trans.__('MIG'), 'mig'),
      pcie: new Figure(trans.__('PCIe'), 'pcie')
    };
    this.node = element('section', 'jp-colab-GpuCard');
    this.node.dataset.gpu = String(device.index);
    this.node.append(this.title, this.subtitle);
    for (const figure of Object.values(this.figures)) {
      this.node.appendChild(figure.node);
    }
    this.migList = new MigList(trans);
    this.node.appendChild(this.migList.node);
  }

  update(device: IGpuDevice, history: IResourceHistory | undefined): void {
    const t = this.trans;
    setText(this.title, `GPU ${device.index} · ${device.name}`);
    setText(this.subtitle, device.uuid);
    const why = (field: string) => device.unavailable[field];
    const f = this.figures;
    f.utilization.set(
      device.utilization_percent === null
        ? null
        : `${device.utilization_percent}%`,
      why('utilization_percent')
    );
    f.memory.set(
      device.memory_used_bytes === null
        ? null
        : formatUsage(device.memory_used_bytes, device.memory_total_bytes),
      why('memory_used_bytes')
    );
    f.temperature.set(
      device.temperature_c === null ? null : `${device.temperature_c} °C`,
      why('temperature_c')
    );
    f.power.set(powerText(device), why('power_w'));
    f.mig.set(
      device.mig_enabled === null
        ? null
        : device.mig_enabled
          ? t.__('enabled')
          : t.__('off'),
      why('mig_enabled')
    );
    f.pcie.set(
      device.pcie_tx_kbps === null || device.pcie_rx_kbps === null
        ? null
        : `↑ ${(device.pcie_tx_kbps / 1024).toFixed(1)} ↓ ${(device.pcie_rx_kbps / 1024).toFixed(1)} MB/s`,
      why('pcie_tx_kbps')
    );
    this.migList.update(device);
    const series = history?.gpus.find(g => g.index === device.index);
    f.utilization.draw(
      series
        ? sparkline(
            series.utilization_percent,
            100,
            t.__('GPU %1 utilisation history', device.index)
          )
        : null
    );
    f.memory.draw(
      series && device.memory_total_bytes
        ? sparkline(
            series.memory_used_bytes,
            device.memory_total_bytes,
            t.__('GPU %1 memory history', device.index)
          )
        : null
    );
  }

  readonly node: HTMLElement;
  private title = element('h3', 'jp-colab-GpuCard-title');
  private subtitle = element('div', 'jp-colab-GpuCard-uuid');
  private migList: MigList;
  private figures: Record<
    'utilization' | 'memory' | 'temperature' | 'power' | 'mig' | 'pcie',
    Figure
  >;
}

function powerText(device: IGpuDevice): string | null {
  if (device.power_w === null) {
    return null;
  }
  const limit =
    device.power_limit_w === null
      ? ''
      : ` / ${device.power_limit_w.toFixed(0)}`;
  return `${device.power_w.toFixed(0)}${limit} W`;
}
