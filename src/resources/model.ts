/**
 * The browser side of the shared sampler: one poll per tab that stands by while the tab is
 * hidden, and backs off while the server cannot be reached.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { requestAPI } from '../request';
import { IResources } from './types';

/** How the model fetches a sample (the server route, or a stand-in in unit tests). */
export type ResourcesFetcher = (history: boolean) => Promise<IResources>;

const fetchFromServer: ResourcesFetcher = history =>
  requestAPI<IResources>(history ? 'resources?history=1' : 'resources');

/** The latest resources sample, refreshed at the server's sampling interval. */
export class ResourcesModel implements IDisposable {
  constructor(fetcher: ResourcesFetcher = fetchFromServer) {
    this._fetch = fetcher;
    this._poll = new Poll({
      name: 'colab-ext:resources',
      factory: () => this._tick(),
      frequency: { interval: 1000, backoff: true, max: 30 * 1000 },
      // A hidden tab does not ask, so the server stops sampling when nobody looks.
      standby: 'when-hidden'
    });
  }

  /** Emitted after every answer or failure. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The latest answer (kept while a later request fails). */
  get resources(): IResources | null {
    return this._resources;
  }

  /** Why the latest request failed, or null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** Whether answers should carry the history (only the panel draws it). */
  get wantHistory(): boolean {
    return this._wantHistory;
  }
  set wantHistory(value: boolean) {
    if (value !== this._wantHistory) {
      this._wantHistory = value;
      if (value) {
        void this.refresh();
      }
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Ask now instead of at the next tick (after shutting a kernel down, say). */
  refresh(): Promise<void> {
    return this._poll.refresh();
  }

  dispose(): void {
    this._poll.dispose();
    Signal.clearData(this);
  }

  private async _tick(): Promise<void> {
    try {
      this._resources = await this._fetch(this._wantHistory);
      this._error = null;
    } catch (error) {
      this._error = (error as Error).message;
      this._changed.emit();
      throw error; // the poll backs off
    }
    const interval = Math.max(250, this._resources.interval_s * 1000);
    if (interval !== this._poll.frequency.interval) {
      this._poll.frequency = { ...this._poll.frequency, interval };
    }
    this._changed.emit();
  }

  private _fetch: ResourcesFetcher;
  private _poll: Poll;
  private _resources: IResources | null = null;
  private _error: string | null = null;
  private _wantHistory = false;
  private _changed = new Signal<this, void>(this);
}
