import { ServerConnection } from '@jupyterlab/services';

import { ColabApiError, colabSocketUrl, colabUrl, requestAPI } from './request';

/** A server stand-in at the fetch boundary: records each request and answers as told. */
function fakeServer(status: number, body: string) {
  const seen: string[] = [];
  const fetch = async (input: RequestInfo | URL): Promise<Response> => {
    seen.push(input instanceof Request ? input.url : String(input));
    return new Response(body, {
      status,
      headers: { 'Content-Type': 'application/json' }
    });
  };
  return { seen, fetch: fetch as typeof globalThis.fetch };
}

function settingsFor(baseUrl: string, fetch: typeof globalThis.fetch) {
  return ServerConnection.makeSettings({
    baseUrl,
    wsUrl: baseUrl.replace('http', 'ws'),
    fetch,
    Request: globalThis.Request,
    Headers: globalThis.Headers
  });
}

describe('colabUrl', () => {
  it('follows the base URL of a server under JupyterHub', () => {
    const settings = ServerConnection.makeSettings({
      baseUrl: 'https://hub.example.org/user/alice/'
    });
    expect(colabUrl('runtime/about', settings)).toBe(
      'https://hub.example.org/user/alice/colab/runtime/about'
    );
  });
});

describe('colabSocketUrl', () => {
  it('puts the token in the query only where the settings say so', () => {
    const withToken = ServerConnection.makeSettings({
      wsUrl: 'wss://hub.example.org/user/alice/',
      token: 'a b',
      appendToken: true
    });
    expect(colabSocketUrl(withToken, 'resources', 'socket')).toBe(
      'wss://hub.example.org/user/alice/colab/resources/socket?token=a%20b'
    );
    const withoutToken = ServerConnection.makeSettings({
      wsUrl: 'ws://localhost:8888/',
      token: 'secret',
      appendToken: false
    });
    expect(
      colabSocketUrl(withoutToken, 'shell', 'kernels', 'k1', 'socket')
    ).toBe('ws://localhost:8888/colab/shell/kernels/k1/socket');
  });
});

describe('requestAPI', () => {
  it('calls the route below the base URL and returns its JSON', async () => {
    const server = fakeServer(200, '{"python_version": "3.11.7"}');
    const settings = settingsFor(
      'http://localhost:8888/user/bob/',
      server.fetch
    );
    const answer = await requestAPI<{ python_version: string }>(
      'runtime/about',
      {},
      settings
    );
    expect(answer.python_version).toBe('3.11.7');
    expect(server.seen).toHaveLength(1);
    expect(server.seen[0]).toMatch(
      /^http:\/\/localhost:8888\/user\/bob\/colab\/runtime\/about/
    );
  });

  it("raises the server's own message on an error", async () => {
    const server = fakeServer(
      409,
      '{"message": "The file changed upstream.", "reason": "Conflict"}'
    );
    const settings = settingsFor('http://localhost:8888/', server.fetch);
    await expect(requestAPI('github/save', {}, settings)).rejects.toEqual(
      new ColabApiError(409, 'The file changed upstream.')
    );
  });

  it("keeps the error's JSON body, so a caller can read what it says beyond the message", async () => {
    const server = fakeServer(
      409,
      '{"message": "Changed upstream.", "conflict": {"current_sha": "abc"}}'
    );
    const settings = settingsFor('http://localhost:8888/', server.fetch);
    const error = await requestAPI('github/save', {}, settings).catch(
      (e: unknown) => e
    );
    expect((error as ColabApiError).body).toEqual({
      message: 'Changed upstream.',
      conflict: { current_sha: 'abc' }
    });
  });

  it('says what happened when the answer is not JSON', async () => {
    const server = fakeServer(502, '<html>Bad gateway</html>');
    const settings = settingsFor('http://localhost:8888/', server.fetch);
    const error = await requestAPI('runtime/about', {}, settings).catch(
      (e: unknown) => e
    );
    expect(error).toBeInstanceOf(ColabApiError);
    expect((error as ColabApiError).status).toBe(502);
    expect((error as ColabApiError).message).toContain('502');
  });

  it('reports an unreachable server as such', async () => {
    const fetch = (async () => {
      throw new TypeError('Failed to fetch');
    }) as typeof globalThis.fetch;
    const settings = settingsFor('http://localhost:8888/', fetch);
    const error = await requestAPI('runtime/about', {}, settings).catch(
      (e: unknown) => e
    );
    expect((error as ColabApiError).status).toBe(0);
    expect((error as ColabApiError).message).toContain('could not be reached');
  });
});
