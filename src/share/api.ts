/**
 * The share feature's server routes (`colab_ext/openapi.yaml`, tag `share`), typed.
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import {
  INewShareLink,
  IShareLink,
  IShareLinkList,
  IShareOptions
} from './links';

function link(id: string, query = ''): string {
  return `share/links/${encodeURIComponent(id)}${query}`;
}

/** The share routes, on the app's server settings. */
export function shareApi(settings: ServerConnection.ISettings) {
  return {
    /** Every link of this server, newest first. */
    links: () => requestAPI<IShareLinkList>('share/links', {}, settings),
    /** Make a link; its answer carries the URL to hand out. */
    create: (options: IShareOptions) =>
      requestAPI<INewShareLink>(
        'share/links',
        { method: 'POST', body: JSON.stringify(options) },
        settings
      ),
    /** Turn a link off at once. */
    revoke: (id: string) =>
      requestAPI<IShareLink>(link(id), { method: 'DELETE' }, settings),
    /** Remove a link from the list (it stops working too). */
    forget: async (id: string): Promise<void> => {
      await requestAPI<null>(
        link(id, '?forget=1'),
        { method: 'DELETE' },
        settings
      );
    }
  };
}

/** The share routes, as the plugin hands them to the dialog and the panel. */
export type ShareApi = ReturnType<typeof shareApi>;
