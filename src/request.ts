/**
 * The one way the frontend calls colab-ext's server routes, all under `<base_url>/colab/`.
 */
import { URLExt } from '@jupyterlab/coreutils';
import { ServerConnection } from '@jupyterlab/services';

import { serverPartProblem, serverPartShortMessage } from './serverPart/state';

/** Every colab-ext route lives below this segment of the server's base URL. */
export const API_PREFIX = 'colab';

/**
 * A failed call, carrying the server's message (written for a person), the HTTP status and the
 * parsed answer: some refusals say more than the message (a save conflict's file and SHAs).
 */
export class ColabApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    /** The answer's JSON (or text), null when there was none or no answer at all. */
    readonly body: unknown = null
  ) {
    super(message);
    this.name = 'ColabApiError';
  }
}

/** The full URL of a colab-ext route, following the server's base URL (as under JupyterHub). */
export function colabUrl(
  endPoint: string,
  settings: ServerConnection.ISettings
): string {
  return URLExt.join(settings.baseUrl, API_PREFIX, endPoint);
}

/**
 * The WebSocket URL of a colab-ext route. A browser cannot set headers on a WebSocket, so the
 * token goes in the query when the server's settings say to send it.
 */
export function colabSocketUrl(
  settings: ServerConnection.ISettings,
  ...segments: string[]
): string {
  const url = URLExt.join(settings.wsUrl, API_PREFIX, ...segments);
  return settings.appendToken && settings.token
    ? `${url}?token=${encodeURIComponent(settings.token)}`
    : url;
}

/**
 * Call a colab-ext route and return its JSON answer.
 *
 * @param settings - the app's `serviceManager.serverSettings`, which every feature passes down
 *   (its base URL, token and WebSocket class, which a test or an embedding may replace).
 * @throws {ColabApiError} with the server's message when the answer is not a success, or a
 *   message saying the server could not be reached.
 */
export async function requestAPI<T>(
  endPoint: string,
  init: RequestInit,
  settings: ServerConnection.ISettings
): Promise<T> {
  let response: Response;
  try {
    response = await ServerConnection.makeRequest(
      colabUrl(endPoint, settings),
      init,
      settings
    );
  } catch (error) {
    throw new ColabApiError(
      0,
      `The Jupyter server could not be reached (${String(error)}). Check that it is still running.`
    );
  }
  const text = await response.text();
  let data: unknown = null;
  if (text.length > 0) {
    try {
      data = JSON.parse(text);
    } catch {
      data = text;
    }
  }
  if (!response.ok) {
    throw new ColabApiError(
      response.status,
      errorMessage(response, data),
      data
    );
  }
  return data as T;
}

function errorMessage(response: Response, data: unknown): string {
  if (data && typeof data === 'object' && 'message' in data) {
    const message = (data as { message: unknown }).message;
    if (typeof message === 'string' && message.length > 0) {
      return message;
    }
  }
  // A 404 without our JSON body is the server saying it has no such route: colab-ext's
  // server part is not loaded. Say that (once explained at start-up), not a bare 404.
  const problem = response.status === 404 ? serverPartProblem() : null;
  if (problem) {
    return serverPartShortMessage(problem);
  }
  return `The server answered ${response.status} ${response.statusText}.`.trim();
}
