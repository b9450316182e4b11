/**
 * The status bar item beside the runtime type: "up 1 h 5 min · auto-shutdown in 55 min" for the
 * current notebook's kernel, every shutdown ahead in its tooltip; a click opens About this
 * runtime, which has them all. Its own item (not text inside the type's), so the type item keeps
 * saying exactly the runtime and this one shows only where there is a lifetime to tell.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { ISignal, Signal } from '@lumino/signaling';
import { Widget } from '@lumino/widgets';

import { IKernelLifetime, lifetimeSummary, shutdowns } from './model';

export class RuntimeLifetimeStatus extends Widget {
  constructor(
    private readonly trans: TranslationBundle,
    onClick: () => void
  ) {
    super();
    // JupyterLab's own look for a clickable status text; style/runtime.css lets it give way in
    // a narrow window.
    this.addClass('jp-colab-RuntimeLifetimeStatus');
    this.addClass('jp-StatusBar-TextItem');
    this.addClass('jp-mod-highlighted');
    this.node.addEventListener('click', onClick);
  }

  /** Fires when the item appears or goes (the status bar asks `isActive` again). */
  get activeStateChanged(): ISignal<this, void> {
    return this._activeStateChanged;
  }

  /** Whether there is a lifetime to show. */
  get hasLifetime(): boolean {
    return this._view !== null;
  }

  display(view: IKernelLifetime | null): void {
    const had = this._view !== null;
    this._view = view;
    const __ = this.trans.__.bind(this.trans);
    this.node.textContent = view ? lifetimeSummary(view, __) : '';
    this.node.dataset.shutdown = (view && shutdowns(view)[0]?.kind) ?? '';
    this.node.title = view
      ? __(
          'This notebook’s kernel: %1 (started %2). Click for About this runtime.',
          lifetimeSummary(view, __, true),
          new Date(view.started).toLocaleString()
        )
      : '';
    if (had !== (view !== null)) {
      this._activeStateChanged.emit();
    }
  }

  private _view: IKernelLifetime | null = null;
  private _activeStateChanged = new Signal<this, void>(this);
}
