/**
 * The pushed feed: a WebSocket on which the server sends every new sample as it is taken.
 */
import { ServerConnection } from '@jupyterlab/services';

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

/** The server's feed over a WebSocket at `url` (the settings give the WebSocket class). */
export function socketFeed(
  url: string,
  settings: ServerConnection.ISettings
): FeedFactory {
  return handlers => {
    const socket = new settings.WebSocket(url);
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
