/**
 * The GitHub feature's server routes, typed. The token never comes back from any of them.
 */
import { ServerConnection } from '@jupyterlab/services';

import { ColabApiError, requestAPI } from '../request';

/** Who is connected (`GET /colab/github/account`). */
export interface IGitHubAccount {
  connected: boolean;
  login?: string;
  name?: string | null;
  scopes?: string[] | null;
  missing_scopes?: string[];
  source?: 'stored' | 'environment';
  problem?: string;
  api_url: string;
  web_url: string;
  device_flow_available: boolean;
  device: IDeviceFlow | null;
}

/** A device-flow sign-in in progress. */
export interface IDeviceFlow {
  state: 'pending' | 'connected' | 'failed';
  user_code: string;
  verification_uri: string;
  expires_in?: number;
  message?: string | null;
}

export interface IRepoEntry {
  full_name: string;
  owner: string;
  name: string;
  private: boolean;
  default_branch: string;
  can_push: boolean;
}

export interface IBrowseEntry {
  name: string;
  path: string;
  type: 'dir' | 'file';
}

/** One level of owner > repo > branch > folder. */
export interface IBrowse {
  repos?: IRepoEntry[];
  default_branch?: string;
  branches?: string[];
  entries?: IBrowseEntry[];
}

export interface IOpenRequest {
  url?: string;
  owner?: string;
  repo?: string;
  ref?: string;
  path?: string;
  folder: string;
}

export interface ISaveRequest {
  path: string;
  repo: string;
  branch: string;
  new_branch: boolean;
  base_branch: string;
  target_path: string;
  message: string;
  clear_outputs: boolean;
  badge: boolean;
  pull_request: boolean;
  pr_title?: string;
  overwrite?: boolean;
  write_metadata: boolean;
}

export interface ISaveResult {
  repo: string;
  branch: string;
  base_branch: string;
  path: string;
  blob_sha: string;
  commit_sha: string;
  commit_url: string;
  unchanged: boolean;
  file_url: string;
  colab_url: string;
  pull_request_url: string | null;
  record: Record<string, unknown>;
}

/** What a refused save (409) says beyond its message: the file on GitHub now. */
export interface ISaveConflict {
  current_sha: string | null;
  remembered_sha: string | null;
  file_url: string;
}

/**
 * The details of a save refused because the file changed on GitHub (the 409's `conflict`, as
 * every server version writes it), or null for any other failure.
 */
export function saveConflict(error: unknown): ISaveConflict | null {
  if (!(error instanceof ColabApiError) || error.status !== 409) {
    return null;
  }
  const body = (error.body ?? {}) as { conflict?: Partial<ISaveConflict> };
  const details = body.conflict ?? {};
  return {
    current_sha: details.current_sha ?? null,
    remembered_sha: details.remembered_sha ?? null,
    file_url: details.file_url ?? ''
  };
}

export interface IGistRequest {
  path: string;
  public: boolean;
  description: string;
  clear_outputs: boolean;
  new_gist: boolean;
  write_metadata: boolean;
}

export interface IGistResult {
  id: string;
  html_url: string;
  nbviewer_url: string;
  public: boolean;
  created: boolean;
  revisions: number;
  record: Record<string, unknown>;
}

function post(body: unknown): RequestInit {
  return { method: 'POST', body: JSON.stringify(body) };
}

/** The GitHub routes, on the app's server settings. */
export function githubApi(settings: ServerConnection.ISettings) {
  const call = <T>(endPoint: string, init: RequestInit = {}) =>
    requestAPI<T>(endPoint, init, settings);
  return {
    account: () => call<IGitHubAccount>('github/account'),
    connect: (token: string) =>
      call<IGitHubAccount>('github/account', {
        method: 'PUT',
        body: JSON.stringify({ token })
      }),
    disconnect: () =>
      call<IGitHubAccount>('github/account', { method: 'DELETE' }),
    startDeviceFlow: () => call<IDeviceFlow>('github/device', post({})),
    browse: (query: Record<string, string>) =>
      call<IBrowse>('github/browse?' + new URLSearchParams(query).toString()),
    open: (request: IOpenRequest) =>
      call<{ path: string }>('github/open', post(request)),
    /** @throws {ColabApiError} 409 when the file changed on GitHub: see `saveConflict`. */
    save: (request: ISaveRequest) =>
      call<ISaveResult>('github/save', post(request)),
    gist: (request: IGistRequest) =>
      call<IGistResult>('github/gist', post(request))
  };
}

/** The GitHub routes, as the plugin hands them to the flows and dialogs. */
export type GitHubApi = ReturnType<typeof githubApi>;
