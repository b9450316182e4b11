/**
 * Typed calls to the shell routes (`colab_ext/openapi.yaml`, tag `shell`). The command socket
 * itself is `connection.ts`'s.
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import { IShellStatus } from './protocol';

/** The shell routes, on the app's server settings. */
export function shellApi(settings: ServerConnection.ISettings) {
  return {
    status: () => requestAPI<IShellStatus>('shell/status', {}, settings)
  };
}

/** The shell routes, as the executor uses them. */
export type ShellApi = ReturnType<typeof shellApi>;
