/**
 * The resources feature's server routes (`colab_ext/openapi.yaml`, tag `resources`): the sample
 * over HTTP, and the pushed feed's WebSocket URL.
 */
import { ServerConnection } from '@jupyterlab/services';

import { colabSocketUrl, requestAPI } from '../request';
import { IResources } from './types';

/** The resources routes, on the app's server settings. */
export function resourcesApi(settings: ServerConnection.ISettings) {
  return {
    /** The latest sample; with the recent history when asked (only the panel draws it). */
    sample: (history: boolean) =>
      requestAPI<IResources>(
        history ? 'resources?history=1' : 'resources',
        {},
        settings
      ),
    /** Where the server pushes every new sample. */
    socketUrl: () => colabSocketUrl(settings, 'resources', 'socket')
  };
}
