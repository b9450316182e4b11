/**
 * Watches each open notebook's kernel lifetime: keeps the status item's "up … · idle shutdown
 * in …" current, warns `warning_s` before an idle or lifetime shutdown (with "Keep running"
 * where the server allows it), and after the kernel went for one of those, says why.
 *
 * It looks every POLL_S seconds, sooner only when a warning or a shutdown falls before then,
 * and when the kernel's status changes (debounced): never a busy poll.
 */
import { Notification } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { TranslationBundle } from '@jupyterlab/translation';
import { IDisposable } from '@lumino/disposable';
import { ISignal, Signal } from '@lumino/signaling';

import { ColabApiError } from '../../request';
import {
  canKeep,
  dueWarning,
  goneKernel,
  IKernelLifetime,
  IShutdown,
  nextLookIn,
  POLL_S,
  warningMessage
} from './model';

/** The two routes the watch calls (part of the runtime feature's api.ts). */
export interface ILifetimeApi {
  kernelLifetime(kernelId: string): Promise<IKernelLifetime>;
  keepKernel(kernelId: string): Promise<IKernelLifetime>;
}

/** A kernel status change looks again after this many ms, once the changes settle. */
const SETTLE_MS = 1500;

/** One notebook's kernel lifetime, looked at as the module's comment says. */
export class LifetimeWatch implements IDisposable {
  constructor(
    private readonly panel: NotebookPanel,
    private readonly api: ILifetimeApi,
    private readonly trans: TranslationBundle
  ) {
    const context = panel.sessionContext;
    context.statusChanged.connect(this._onKernelStatus, this);
    context.kernelChanged.connect(this._onKernelChanged, this);
    context.connectionStatusChanged.connect(this._onKernelStatus, this);
    void context.ready.then(() => this.refresh());
  }

  /** Fires with the latest lifetime (null: no kernel, or none known). */
  get changed(): ISignal<this, IKernelLifetime | null> {
    return this._changed;
  }

  /** The latest lifetime of the notebook's kernel. */
  get view(): IKernelLifetime | null {
    return this._view;
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Look now, then again when `nextLookIn` says. */
  async refresh(): Promise<void> {
    window.clearTimeout(this._timer);
    if (this._disposed) {
      return;
    }
    const kernelId = this.panel.sessionContext.session?.kernel?.id;
    let wait: number | null = POLL_S;
    if (kernelId) {
      try {
        this._show(await this.api.kernelLifetime(kernelId));
        wait = nextLookIn(this._view!);
      } catch (error) {
        wait = this._onFailure(kernelId, error);
      }
    } else {
      this._show(null);
    }
    if (!this._disposed && wait !== null) {
      this._timer = window.setTimeout(() => void this.refresh(), wait * 1000);
    }
  }

  /** "Keep running": activity for the idle culler; one more period where allowed. */
  async keep(): Promise<void> {
    const kernelId = this.panel.sessionContext.session?.kernel?.id;
    if (!kernelId) {
      return;
    }
    try {
      this._show(await this.api.keepKernel(kernelId));
      void this.refresh();
    } catch (error) {
      Notification.error((error as Error).message, { autoClose: 8000 });
    }
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    window.clearTimeout(this._timer);
    window.clearTimeout(this._settle);
    this._dismissWarning();
    Signal.clearData(this);
  }

  private _onKernelStatus(): void {
    window.clearTimeout(this._settle);
    this._settle = window.setTimeout(() => void this.refresh(), SETTLE_MS);
  }

  private _onKernelChanged(): void {
    this._dismissWarning();
    this._show(null);
    this._onKernelStatus();
  }

  private _show(view: IKernelLifetime | null): void {
    this._view = view;
    this._changed.emit(view);
    const due = view ? dueWarning(view) : null;
    if (!view || !due) {
      this._dismissWarning();
      return;
    }
    this._warn(view, due);
  }

  /** Show (or bring up to date) the warning for `due`; one per notebook at a time. */
  private _warn(view: IKernelLifetime, due: IShutdown): void {
    const message = warningMessage(
      view,
      due,
      this._notebookName(),
      this.trans.__.bind(this.trans)
    );
    const actions = canKeep(view, due)
      ? [
          {
            label: this.trans.__('Keep running'),
            caption: this.trans.__('Keep this notebook’s kernel running'),
            displayType: 'accent' as const,
            callback: () => void this.keep()
          }
        ]
      : [];
    if (this._warning && this._warning.kind === due.kind) {
      Notification.update({
        id: this._warning.id,
        message,
        type: 'warning',
        autoClose: false,
        actions
      });
      return;
    }
    this._dismissWarning();
    const id = Notification.warning(message, { autoClose: false, actions });
    this._warning = { id, kind: due.kind };
  }

  private _dismissWarning(): void {
    if (this._warning) {
      Notification.dismiss(this._warning.id);
      this._warning = null;
    }
  }

  /**
   * A 404 that says why the kernel went: tell the user once. Seconds until the next look: none
   * after any 404 (the kernel is gone; a new or restarted one changes the kernel's status, which
   * looks again), POLL_S after other failures (the server may be back by then).
   */
  private _onFailure(kernelId: string, error: unknown): number | null {
    this._dismissWarning();
    this._show(null);
    const missing = error instanceof ColabApiError && error.status === 404;
    const gone = missing ? goneKernel(error.body) : null;
    if (gone && !this._told.has(kernelId)) {
      this._told.add(kernelId);
      Notification.warning(
        this.trans.__('%1: %2', this._notebookName(), gone.message),
        { autoClose: false }
      );
    }
    return missing ? null : POLL_S;
  }

  /** The notebook's file name: its folder would crowd the notification. */
  private _notebookName(): string {
    return PathExt.basename(this.panel.context.localPath);
  }

  private _view: IKernelLifetime | null = null;
  private _changed = new Signal<this, IKernelLifetime | null>(this);
  private _warning: { id: string; kind: IShutdown['kind'] } | null = null;
  private _told = new Set<string>();
  private _timer = 0;
  private _settle = 0;
  private _disposed = false;
}

/**
 * A watch on every open notebook; `show` gets the current notebook's lifetime whenever it or
 * the current notebook changes. Returns the watch of a notebook, for the About dialog.
 */
export function watchLifetimes(
  tracker: INotebookTracker,
  api: ILifetimeApi,
  trans: TranslationBundle,
  show: (view: IKernelLifetime | null) => void
): (panel: NotebookPanel | null) => LifetimeWatch | null {
  const watches = new Map<NotebookPanel, LifetimeWatch>();
  tracker.widgetAdded.connect((_, panel) => {
    const watch = new LifetimeWatch(panel, api, trans);
    watches.set(panel, watch);
    watch.changed.connect((_, view) => {
      if (tracker.currentWidget === panel) {
        show(view);
      }
    });
    panel.disposed.connect(() => {
      watch.dispose();
      watches.delete(panel);
    });
  });
  tracker.currentChanged.connect((_, panel) => {
    show(panel ? (watches.get(panel)?.view ?? null) : null);
  });
  return panel => (panel ? (watches.get(panel) ?? null) : null);
}
