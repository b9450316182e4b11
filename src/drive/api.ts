/**
 * Typed calls to the Drive routes (`colab_ext/openapi.yaml`, tag `drive`).
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';

/** Whether this server can mount with FUSE, and if not, why and how to enable it. */
export interface IDriveFuse {
  available: boolean;
  problem: string | null;
  how_to_enable: string | null;
}

/** One mount of Drive, with the uploads it is still waiting for. */
export interface IDriveMount {
  mountpoint: string;
  path: string | null;
  readonly: boolean;
  state: string;
  /** Large files are read with direct I/O, shared mmap included. */
  direct_reads: boolean;
  pending_uploads: { path: string; bytes: number }[];
  failed_uploads: { path: string; message: string; kept_at: string }[];
  restarts: number;
  problem: string | null;
}

/** The Drive connection as the server reports it (never a token). */
export interface IDriveStatus {
  connected: boolean;
  credential_kind: 'oauth' | 'service_account' | 'application_default';
  account: { email: string | null; name: string | null } | null;
  client_source: 'admin' | 'uploaded' | null;
  fuse: IDriveFuse;
  mount_path: string;
  mounts: IDriveMount[];
  /** The OAuth redirect URI the server sends Google: the one to register. */
  redirect_uri: string;
}

/** A Drive file or folder. */
export interface IDriveFile {
  id: string;
  name: string;
  local_name: string;
  mime_type: string;
  size: number | null;
  modified: string | null;
  is_folder: boolean;
  is_google_doc: boolean;
}

/** One page of a Drive folder. */
export interface IDriveFileList {
  files: IDriveFile[];
  next_page_token: string | null;
  shared_drives?: { id: string; name: string }[];
}

/** A transfer between the server and Drive. */
export interface IDriveJob {
  id: string;
  kind: 'open' | 'save';
  name: string;
  bytes_total: number | null;
  bytes_done: number;
  state: 'running' | 'done' | 'failed' | 'cancelled';
  message: string | null;
  path: string | null;
  drive_file: IDriveFile | null;
}

function post(body: unknown = {}): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

/** The Drive routes, on the app's server settings. */
export function driveApi(settings: ServerConnection.ISettings) {
  const call = <T>(endPoint: string, init: RequestInit = {}) =>
    requestAPI<T>(endPoint, init, settings);
  return {
    status: () => call<IDriveStatus>('drive/status'),
    uploadClient: (client: unknown) =>
      call<IDriveStatus>('drive/client', {
        method: 'PUT',
        body: JSON.stringify(client)
      }),
    connect: () => call<{ auth_url: string }>('drive/connect', post()),
    declineConnect: (requestId: string) =>
      call<{ declined: boolean }>(
        `drive/connect-requests/${requestId}/decline`,
        post()
      ),
    disconnect: () => call<IDriveStatus>('drive/disconnect', post()),
    files: (folder: string, pageToken?: string | null) => {
      const query = new URLSearchParams({ folder });
      if (pageToken) {
        query.set('page_token', pageToken);
      }
      return call<IDriveFileList>(`drive/files?${query.toString()}`);
    },
    open: (fileId: string, folder: string) =>
      call<IDriveJob>('drive/open', post({ file_id: fileId, folder })),
    save: (path: string, folderId: string, name?: string) =>
      call<IDriveJob>('drive/save', post({ path, folder_id: folderId, name })),
    job: (id: string) => call<IDriveJob>(`drive/jobs/${id}`),
    cancel: (id: string) =>
      call<IDriveJob>(`drive/jobs/${id}`, { method: 'DELETE' }),
    mount: () => call<IDriveMount>('drive/mount', post()),
    unmount: () =>
      call<{ unflushed: { path: string }[] }>('drive/unmount', post())
  };
}

/** The Drive routes, as the plugin hands them to the actions, the picker and the prompt. */
export type DriveApi = ReturnType<typeof driveApi>;
