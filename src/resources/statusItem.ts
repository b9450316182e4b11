/**
 * The status bar item: RAM, disk and GPU figures in one short line; click opens the panel.
 */
import { Widget } from '@lumino/widgets';

import { statusSummary, statusTooltip } from './format';
import { ResourcesModel } from './model';

export class ResourcesStatusItem extends Widget {
  constructor(
    private readonly model: ResourcesModel,
    onClick: () => void
  ) {
    super({ node: document.createElement('button') });
    this.addClass('jp-colab-ResourcesStatus');
    this.node.setAttribute('type', 'button');
    this.node.textContent = 'RAM …';
    this.node.addEventListener('click', onClick);
    model.changed.connect(this._update, this);
  }

  dispose(): void {
    this.model.changed.disconnect(this._update, this);
    super.dispose();
  }

  private _update(): void {
    const resources = this.model.resources;
    if (!resources) {
      this.node.textContent = 'Resources: no answer';
      this.node.title = this.model.error ?? '';
      return;
    }
    this.node.textContent = statusSummary(resources);
    this.node.title = statusTooltip(resources);
    // A stale figure should look stale: the server is unreachable or the driver is slow.
    this.node.classList.toggle(
      'jp-mod-stale',
      this.model.error !== null || resources.gpu.state === 'slow'
    );
  }
}
