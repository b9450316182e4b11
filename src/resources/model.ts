/**
 * The browser side of the shared sampler. One visible tab of a lab (the leader) subscribes to
 * the server's pushed feed and rebroadcasts every sample to the lab's other tabs over a
 * `BroadcastChannel`; when the feed fails, the leader polls the HTTP route instead, and retries
 * the feed with backoff. A hidden tab closes its feed and stands by.
 */
import { IDisposable } from '@lumino/disposable';
import { Poll } from '@lumino/polling';
import { ISignal, Signal } from '@lumino/signaling';

import { FeedFactory, ISampleFeed } from './feed';
import { hasGap, withHistory } from './history';
import { IResources } from './types';

/** How the model fetches a sample over HTTP (the server route, or a stand-in in unit tests). */
export type ResourcesFetcher = (history: boolean) => Promise<IResources>;

/** A sample shared between the tabs of one lab, with the sending tab's id. */
export interface ISharedSample {
  from: string;
  sample: IResources;
}

/** What the model needs of a `BroadcastChannel` (the tabs of one lab share samples). */
export interface ISampleChannel {
  postMessage(message: ISharedSample): void;
  onmessage: ((event: MessageEvent<ISharedSample>) => void) | null;
  close(): void;
}

/** Longest wait before the feed is tried again after failures (HTTP polling meanwhile). */
export const MAX_FEED_RETRY_MS = 30 * 1000;

/** The channel the tabs of the lab at `baseUrl` share samples on (none where unsupported). */
export function labChannel(baseUrl: string): ISampleChannel | null {
  if (typeof BroadcastChannel === 'undefined') {
    return null;
  }
  return new BroadcastChannel(`colab-ext:resources:${baseUrl}`);
}

function isHidden(): boolean {
  return typeof document !== 'undefined' && document.hidden;
}

/**
 * The latest resources sample, with the history while the panel wants it.
 *
 * Twenty tabs of one lab cost the server one socket: the leader's. Tabs break ties by id (the
 * lowest keeps the feed), and a follower takes over when the leader's broadcasts stop.
 */
export class ResourcesModel implements IDisposable {
  constructor(
    fetcher: ResourcesFetcher,
    channel: ISampleChannel | null,
    feedFactory: FeedFactory | null,
    when: Promise<unknown> = Promise.resolve()
  ) {
    this._fetch = fetcher;
    this._channel = channel;
    this._openFeed = feedFactory;
    if (channel) {
      channel.onmessage = event => this._received(event.data);
    }
    this._poll = new Poll({
      name: 'colab-ext:resources',
      factory: () => this._tick(),
      auto: false,
      frequency: { interval: 1000, backoff: true, max: 30 * 1000 },
      // A hidden tab does not ask, so the server stops sampling when nobody looks.
      standby: 'when-hidden'
    });
    if (typeof document !== 'undefined') {
      document.addEventListener('visibilitychange', this._onVisibility);
    }
    // The first request waits for `when` (the lab's first page), so the server's sampler and
    // the driver start after the page is up, not while it loads.
    void when.then(() => {
      if (!this._poll.isDisposed) {
        void this._poll.start();
      }
    });
  }

  /** Emitted after every sample or failure. */
  get changed(): ISignal<this, void> {
    return this._changed;
  }

  /** The latest sample (kept while a later request fails). */
  get resources(): IResources | null {
    return this._resources;
  }

  /** Why the latest request failed, or null after a success. */
  get error(): string | null {
    return this._error;
  }

  /** Whether samples should carry the history (only the panel draws it). */
  get wantHistory(): boolean {
    return this._wantHistory;
  }
  set wantHistory(value: boolean) {
    if (value !== this._wantHistory) {
      this._wantHistory = value;
      if (value && this._needsHistory) {
        void this._loadHistory();
      }
    }
  }

  get isDisposed(): boolean {
    return this._poll.isDisposed;
  }

  /** Whether this tab holds the pushed feed (the lab's leader). */
  get hasFeed(): boolean {
    return this._feed !== null;
  }

  /** How many samples this tab fetched over HTTP itself. */
  get fetched(): number {
    return this._fetched;
  }

  /** How many times this tab opened the pushed feed. */
  get feedsOpened(): number {
    return this._feedsOpened;
  }

  /** Look now instead of at the next tick. */
  refresh(): Promise<void> {
    return this._poll.refresh();
  }

  dispose(): void {
    if (this.isDisposed) {
      return;
    }
    this._closeFeed();
    this._channel?.close();
    this._poll.dispose();
    if (typeof document !== 'undefined') {
      document.removeEventListener('visibilitychange', this._onVisibility);
    }
    Signal.clearData(this);
  }

  private get _interval(): number {
    return this._poll.frequency.interval;
  }

  private async _tick(): Promise<void> {
    const now = Date.now();
    if (this._feed === null && now - this._sharedAt < 0.9 * this._interval) {
      return; // another tab leads and shared a sample a moment ago
    }
    // This tab leads: the feed brings the samples; HTTP until it does, or while it fails.
    if (this._feed === null && now >= this._feedRetryAt) {
      this._startFeed();
    }
    const feedQuiet = now - Math.max(this._feedSampleAt, this._feedOpenedAt);
    if (
      this._feed !== null &&
      this._resources &&
      feedQuiet < 2.5 * this._interval
    ) {
      return;
    }
    let sample: IResources;
    try {
      sample = await this._fetch(this._wantHistory && this._needsHistory);
    } catch (error) {
      this._failed(error);
      throw error; // the poll backs off
    }
    this._fetched++;
    this._accept(sample, this._feed === null);
  }

  private get _needsHistory(): boolean {
    return !this._resources?.history || this._historyGap;
  }

  /** The panel's first paint (or after a gap): the server's history, once, for this tab. */
  private async _loadHistory(): Promise<void> {
    if (this._loadingHistory) {
      return;
    }
    this._loadingHistory = true;
    try {
      const sample = await this._fetch(true);
      this._fetched++;
      this._accept(sample, false);
    } catch (error) {
      this._failed(error);
    } finally {
      this._loadingHistory = false;
    }
  }

  private _failed(error: unknown): void {
    this._error = (error as Error).message;
    this._changed.emit();
  }

  /** Take a sample from anywhere; `share` rebroadcasts it to the lab's other tabs. */
  private _accept(sample: IResources, share: boolean): void {
    const previous = this._resources?.history;
    this._historyGap =
      !sample.history && previous !== undefined && hasGap(sample, previous);
    const merged = this._historyGap ? sample : withHistory(sample, previous);
    this._resources = merged;
    this._error = null;
    if (share) {
      const { history, ...bare } = merged;
      void history;
      this._channel?.postMessage({ from: this._id, sample: bare });
    }
    const wanted = Math.max(250, sample.interval_s * 1000);
    if (wanted !== this._interval) {
      this._poll.frequency = { ...this._poll.frequency, interval: wanted };
    }
    this._changed.emit();
    if (this._wantHistory && this._needsHistory) {
      void this._loadHistory();
    }
  }

  private _received(message: ISharedSample): void {
    if (!message || typeof message !== 'object' || !message.sample) {
      return; // a tab still running an older version of this extension
    }
    if (this._feed !== null) {
      if (message.from > this._id) {
        return; // two leaders for a moment: the lower id keeps the feed, the other yields
      }
      this._closeFeed();
    }
    this._sharedAt = Date.now();
    // Wait a little longer than the leader does: while it keeps sending, this tab never asks;
    // when it stops (closed, hidden), this tab takes over. The jitter breaks ties.
    void this._poll.schedule({
      interval: Math.round(this._interval * (1.1 + 0.2 * Math.random())),
      phase: 'resolved'
    });
    this._accept(message.sample, false);
  }

  private _startFeed(): void {
    if (!this._openFeed || isHidden()) {
      return;
    }
    this._feedsOpened++;
    this._feedOpenedAt = Date.now();
    let feed: ISampleFeed | null = null;
    let ended = false;
    feed = this._openFeed({
      sample: sample => {
        if (this._feed !== feed) {
          return; // a frame still in flight on a feed this tab already closed
        }
        this._feedFailures = 0;
        this._feedSampleAt = Date.now();
        this._accept(sample, true);
      },
      closed: opened => {
        ended = true;
        if (this._feed === feed || this._feed === null) {
          this._feedEnded(opened);
        }
      }
    });
    if (!ended) {
      this._feed = feed;
    }
  }

  /** The feed failed or ended: poll over HTTP, and try it again after a growing delay. */
  private _feedEnded(opened: boolean): void {
    this._feed = null;
    this._feedFailures = opened ? 1 : this._feedFailures + 1;
    // 1 s, 2 s, 4 s ... 30 s, jittered so a restarted server is not hit by every lab at once.
    const delay = Math.min(
      MAX_FEED_RETRY_MS,
      1000 * 2 ** (this._feedFailures - 1)
    );
    this._feedRetryAt = Date.now() + delay * (0.8 + 0.4 * Math.random());
    void this.refresh(); // HTTP at once, so the figures do not freeze
  }

  private _closeFeed(): void {
    const feed = this._feed;
    this._feed = null;
    this._feedSampleAt = 0;
    feed?.close();
  }

  private _onVisibility = (): void => {
    if (isHidden()) {
      this._closeFeed(); // stand by: another visible tab (or none) leads
    } else {
      this._feedRetryAt = 0;
      void this.refresh();
    }
  };

  private _id = Math.random().toString(36).slice(2);
  private _fetch: ResourcesFetcher;
  private _channel: ISampleChannel | null;
  private _openFeed: FeedFactory | null;
  private _feed: ISampleFeed | null = null;
  private _feedsOpened = 0;
  private _feedOpenedAt = 0;
  private _feedSampleAt = 0;
  private _feedFailures = 0;
  private _feedRetryAt = 0;
  private _sharedAt = 0;
  private _fetched = 0;
  private _historyGap = false;
  private _loadingHistory = false;
  private _poll: Poll;
  private _resources: IResources | null = null;
  private _error: string | null = null;
  private _wantHistory = false;
  private _changed = new Signal<this, void>(this);
}
