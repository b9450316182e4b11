/**
 * The Secrets routes (`colab_ext/secrets/handlers.py`). Listings carry names and access only;
 * `showSecret` is the one call that brings a value to the page, when the user asks.
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';

/** One secret as listed: never its value. */
export interface ISecret {
  name: string;
  /** Whether the notebook the list was asked for may read it with `userdata.get`. */
  access: boolean;
  notebooks: number;
  updated?: string | null;
}

/** A notebook's `userdata.get` waiting for the user to grant it access. */
export interface IAccessRequest {
  id: string;
  name: string;
  path: string;
  kernel_id: string;
}

const json = (method: string, body: unknown): RequestInit => ({
  method,
  body: JSON.stringify(body)
});

const names = (name?: string, tail = ''): string =>
  'secrets/names' + (name ? `/${encodeURIComponent(name)}${tail}` : '');

/** The secrets routes, on the app's server settings. */
export function secretsApi(settings: ServerConnection.ISettings) {
  const call = <T = unknown>(endPoint: string, init: RequestInit = {}) =>
    requestAPI<T>(endPoint, init, settings);
  return {
    /** The secrets, with access as seen from the notebook at `path` (when one is in front). */
    list: async (path: string | null): Promise<ISecret[]> => {
      const query = path ? `?path=${encodeURIComponent(path)}` : '';
      return (await call<{ secrets: ISecret[] }>(names() + query)).secrets;
    },
    add: async (
      name: string,
      value: string,
      path: string | null,
      access: boolean
    ): Promise<void> => {
      await call(
        names(),
        json('POST', { name, value, ...(path ? { path, access } : {}) })
      );
    },
    edit: async (
      name: string,
      change: { name?: string; value?: string }
    ): Promise<void> => {
      await call(names(name), json('PATCH', change));
    },
    delete: async (name: string): Promise<void> => {
      await call(names(name), { method: 'DELETE' });
    },
    show: async (name: string): Promise<string> =>
      (await call<{ value: string }>(names(name, '/value'))).value,
    setAccess: async (
      name: string,
      path: string,
      granted: boolean
    ): Promise<void> => {
      await call(names(name, '/access'), json('PUT', { path, granted }));
    },
    pendingRequests: async (path: string): Promise<IAccessRequest[]> =>
      (
        await call<{ requests: IAccessRequest[] }>(
          `secrets/requests?path=${encodeURIComponent(path)}`
        )
      ).requests,
    answerRequest: async (id: string, grant: boolean): Promise<void> => {
      await call(
        `secrets/requests/${encodeURIComponent(id)}`,
        json('POST', { grant })
      );
    }
  };
}

/** The secrets routes, as the plugin hands them to the panel and the prompt. */
export type SecretsApi = ReturnType<typeof secretsApi>;
