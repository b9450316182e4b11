/**
 * The browser side of the shared sampler: one poll per tab that stands by while the tab is
 * hidden, and backs off while the server cannot be reached.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import { IResources } from './types';

/** How the model fetches a sample (the server route, or a stand-in in unit tests). */
export type ResourcesFetcher = (history: boolean) => Promise<IResources>;

/** What the model needs of a `BroadcastChannel` (the tabs of one lab share samples). */
export interface ISampleChannel {
  postMessage(sample: IResources): void;
  onmessage: ((event: MessageEvent<IResources>) => void) | null;
  close(): void;
}

const fetchFromServer: ResourcesFetcher = history =>
  requestAPI<IResources>(history ? 'resources?history=1' : 'resources');

function labChannel(): ISampleChannel | null {
  if (typeof BroadcastChannel === 'undefined') {
    return null;
  }
  const base = ServerConnection.makeSettings().baseUrl;
  return new BroadcastChannel(`colab-ext:resources:${base}`);
}

/**
 * The latest resources sample, refreshed at the server's sampling interval.
 *
 * The open tabs of one lab share what they fetch over a `BroadcastChannel`: a tab that has a
 * sample from another tab younger than one interval does not ask the server itself, so twenty
 * tabs cost the server about what one does.
 */
export class ResourcesModel implements IDisposable {
  constructor(
    fetcher: ResourcesFetcher = fetchFromServer,
    channel: ISampleChannel | null = labChannel()
  ) {
    this._fetch = fetcher;
    this._channel = channel;
    if (channel) {
      channel.onmessage = event => this._received(event.data);
    }
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

  /** How many samples this tab fetched itself (the others came from other tabs). */
  get fetched(): number {
    return this._fetched;
  }

  dispose(): void {
    this._channel?.close();
    this._poll.dispose();
    Signal.clearData(this);
  }

  private _received(sample: IResources): void {
    this._sharedAt = Date.now();
    // Wait a little longer than the sender does: while it keeps sending, this tab never asks;
    // when it stops (closed, hidden), this tab takes over. The jitter breaks ties.
    const interval = this._poll.frequency.interval;
    void this._poll.schedule({
      interval: Math.round(interval * (1.1 + 0.2 * Math.random())),
      phase: 'resolved'
    });
    // The panel keeps its charts: a sample without history does not replace one with it.
    if (this._wantHistory && !sample.history) {
      return;
    }
    this._resources = sample;
    this._error = null;
    this._changed.emit();
  }

  private async _tick(): Promise<void> {
    const interval = this._poll.frequency.interval;
    const shared =
      this._resources !== null &&
      Date.now() - this._sharedAt < 0.9 * interval &&
      (!this._wantHistory || this._resources.history !== undefined);
    if (shared) {
      return; // another tab asked the server a moment ago
    }
    try {
      this._resources = await this._fetch(this._wantHistory);
      this._fetched++;
      this._error = null;
      this._channel?.postMessage(this._resources);
    } catch (error) {
      this._error = (error as Error).message;
      this._changed.emit();
      throw error; // the poll backs off
    }
    const wanted = Math.max(250, this._resources.interval_s * 1000);
    if (wanted !== interval) {
      this._poll.frequency = { ...this._poll.frequency, interval: wanted };
    }
    this._changed.emit();
  }

  private _fetch: ResourcesFetcher;
  private _channel: ISampleChannel | null;
  private _sharedAt = 0;
  private _fetched = 0;
  private _poll: Poll;
  private _resources: IResources | null = null;
  private _error: string | null = null;
  private _wantHistory = false;
  private _changed = new Signal<this, void>(this);
}
