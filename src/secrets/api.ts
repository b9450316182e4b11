/**
 * The Secrets routes (`colab_ext/secrets/handlers.py`). Listings carry names and access only;
 * `showSecret` is the one call that brings a value to the page, when the user asks.
 */
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

export async function listSecrets(path: string | null): Promise<ISecret[]> {
  const query = path ? `?path=${encodeURIComponent(path)}` : '';
  const answer = await requestAPI<{ secrets: ISecret[] }>(names() + query);
  return answer.secrets;
}

export async function addSecret(
  name: string,
  value: string,
  path: string | null,
  access: boolean
): Promise<void> {
  await requestAPI(
    names(),
    json('POST', { name, value, ...(path ? { path, access } : {}) })
  );
}

export async function editSecret(
  name: string,
  change: { name?: string; value?: string }
): Promise<void> {
  await requestAPI(names(name), json('PATCH', change));
}

export async function deleteSecret(name: string): Promise<void> {
  await requestAPI(names(name), { method: 'DELETE' });
}

export async function showSecret(name: string): Promise<string> {
  const answer = await requestAPI<{ value: string }>(names(name, '/value'));
  return answer.value;
}

export async function setAccess(
  name: string,
  path: string,
  granted: boolean
): Promise<void> {
  await requestAPI(names(name, '/access'), json('PUT', { path, granted }));
}

export async function pendingRequests(path: string): Promise<IAccessRequest[]> {
  const answer = await requestAPI<{ requests: IAccessRequest[] }>(
    `secrets/requests?path=${encodeURIComponent(path)}`
  );
  return answer.requests;
}

export async function answerRequest(id: string, grant: boolean): Promise<void> {
  await requestAPI(
    `secrets/requests/${encodeURIComponent(id)}`,
    json('POST', { grant })
  );
}
