import { expect, IJupyterLabPageFixture } from '@jupyterlab/galata';
import type { APIRequestContext } from '@playwright/test';

/** An empty Python notebook: one empty code cell. */
export const EMPTY_PYTHON_NOTEBOOK = {
  nbformat: 4,
  nbformat_minor: 5,
  metadata: {
    kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)' }
  },
  cells: [
    {
      cell_type: 'code',
      metadata: {},
      execution_count: null,
      outputs: [],
      source: ''
    }
  ]
};

/**
 * Create an empty Python notebook under its own name and open it.
 *
 * Unlike Galata's `createNew` (which makes `Untitled.ipynb` and renames it), the server's
 * session has the right name from its start: under load the session sometimes never followed
 * that rename, and per-notebook facts (the About dialog, GPU holders) stayed `Untitled.ipynb`.
 */
export async function openNewNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  await page.contents.uploadContent(
    JSON.stringify(EMPTY_PYTHON_NOTEBOOK),
    'text',
    `${tmpPath}/${name}`
  );
  await page.notebook.open(name);
  await page.notebook.activate(name);
}

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
