/**
 * The GitHub feature's server routes, typed. The token never comes back from any of them.
 */
import { requestAPI } from '../request';

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

export const githubApi = {
  account: () => requestAPI<IGitHubAccount>('github/account'),
  connect: (token: string) =>
    requestAPI<IGitHubAccount>('github/account', {
      method: 'PUT',
      body: JSON.stringify({ token })
    }),
  disconnect: () =>
    requestAPI<IGitHubAccount>('github/account', { method: 'DELETE' }),
  startDeviceFlow: () => requestAPI<IDeviceFlow>('github/device', post({})),
  browse: (query: Record<string, string>) =>
    requestAPI<IBrowse>(
      'github/browse?' + new URLSearchParams(query).toString()
    ),
  open: (request: IOpenRequest) =>
    requestAPI<{ path: string }>('github/open', post(request)),
  save: (request: ISaveRequest) =>
    requestAPI<ISaveResult>('github/save', post(request)),
  gist: (request: IGistRequest) =>
    requestAPI<IGistResult>('github/gist', post(request))
};
