import { expect } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

/**
 * Wait until the server's session of a notebook goes by `name`.
 *
 * Galata's `createNew` makes `Untitled.ipynb` and renames it; the session follows the rename a
 * moment later (the lab patches it), so anything the server reports per notebook may still say
 * `Untitled.ipynb` right after. Waiting here keeps tests from racing that update.
 */
export async function waitForSession(
  request: APIRequestContext,
  baseURL: string | undefined,
  name: string
): Promise<void> {
  await expect
    .poll(
      async () => {
        const response = await request.get(`${baseURL}/api/sessions`);
        const sessions: { path: string }[] = await response.json();
        return sessions.some(session => session.path.endsWith(name));
      },
      { timeout: 20000 }
    )
    .toBe(true);
}
