/**
 * The pushed feed: a WebSocket on which the server sends every new sample as it is taken.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { API_PREFIX } from '../request';
import { IResources } from './types';

/** What a feed reports to its model. */
export interface IFeedHandlers {
  /** A new sample (without history). */
  sample(sample: IResources): void;
  /** The feed ended or could not open; `opened` says whether it ever delivered. */
  closed(opened: boolean): void;
}

/** An open feed; closing it does not call `closed`. */
export interface ISampleFeed {
  close(): void;
}

/** Opens a feed (the server's socket, or a stand-in in unit tests). */
export type FeedFactory = (handlers: IFeedHandlers) => ISampleFeed;

/** The WebSocket URL of the resources feed, with the token where the server wants it. */
export function resourcesSocketUrl(
  settings: ServerConnection.ISettings
): string {
  const url = URLExt.join(settings.wsUrl, API_PREFIX, 'resources', 'socket');
  return settings.appendToken && settings.token
    ? `${url}?token=${encodeURIComponent(settings.token)}`
    : url;
}

/** The server's feed over a WebSocket. */
export function socketFeed(
  settings: ServerConnection.ISettings = ServerConnection.makeSettings()
): FeedFactory {
  return handlers => {
    const socket = new settings.WebSocket(resourcesSocketUrl(settings));
    let delivered = false;
    let closedByUs = false;
    socket.onmessage = event => {
      let sample: IResources;
      try {
        sample = JSON.parse(String(event.data)) as IResources;
      } catch {
        return; // not ours to fail on: the next frame will do
      }
      delivered = true;
      handlers.sample(sample);
    };
    socket.onclose = () => {
      if (!closedByUs) {
        handlers.closed(delivered);
      }
    };
    return {
      close: () => {
        closedByUs = true;
        socket.close();
      }
    };
  };
}
