/**
 * The end-to-end proof of "Coming from Colab": notebooks written the way Colab notebooks are
 * (ui-tests/notebooks/, Colab's metadata included) are uploaded as they are, run with
 * Run > Run All Cells, and the test only does what a user does in the page meanwhile (connect
 * Drive, pick a file, grant a secret). Every cell must finish without an error.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { APIRequestContext, Page } from '@playwright/test';
import { readFileSync } from 'fs';
import * as path from 'path';

const NOTEBOOKS = path.resolve(__dirname, '..', 'notebooks');
/** The fake Drive the Galata server talks to (see jupyter_server_test_config.py). */
const FAKE_DRIVE = `http://127.0.0.1:${
  process.env.COLAB_EXT_FAKE_DRIVE_PORT ??
  Number(process.env.COLAB_EXT_UI_PORT ?? '8888') + 2000
}`;
const DRIVE_PROMPT = 'Permit this notebook to access your Google Drive files?';

interface ISavedCell {
  cell_type: string;
  execution_count?: number | null;
  outputs?: {
    output_type: string;
    text?: string | string[];
    data?: Record<string, string | string[]>;
    ename?: string;
    evalue?: string;
  }[];
}

/** Post to the server as the page does (its XSRF cookie). */
async function call(
  page: Page,
  method: string,
  url: string,
  body?: unknown
): Promise<number> {
  return page.evaluate(
    async ([method, url, body]) => {
      const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
      const answer = await fetch(url as string, {
        method: method as string,
        headers: { 'X-XSRFToken': xsrf, 'Content-Type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body)
      });
      return answer.status;
    },
    [method, url, body] as const
  );
}

/** Upload a notebook of ui-tests/notebooks/ as it is, and open it. */
async function openAsWritten(
  page: IJupyterLabPageFixture,
  tmpPath: string,
  name: string
): Promise<void> {
  const text = readFileSync(path.join(NOTEBOOKS, name), 'utf-8');
  await page.contents.uploadContent(text, 'text', `${tmpPath}/${name}`);
  await page.notebook.open(name);
  await page.notebook.activate(name);
}

/** Run > Run All Cells, as a user does; resolves once every code cell has run. */
async function runAll(page: IJupyterLabPageFixture): Promise<void> {
  await expect(page.locator('#jp-main-statusbar')).toContainText('Idle', {
    timeout: 60000
  });
  await page.menu.clickMenuItem('Run>Run All Cells');
}

async function waitForAllRun(page: Page, timeout = 90000): Promise<void> {
  const prompts = page.locator(
    '.jp-NotebookPanel:visible .jp-CodeCell .jp-InputPrompt'
  );
  await expect
    .poll(
      async () => {
        const texts = await prompts.allInnerTexts();
        return texts.length > 0 && texts.every(t => /\[\d+\]/.test(t));
      },
      { timeout }
    )
    .toBe(true);
}

/** The notebook as saved: every code cell ran, none has an error; its printed text. */
async function savedOutputs(
  page: IJupyterLabPageFixture,
  request: APIRequestContext,
  notebookPath: string
): Promise<string[]> {
  await page.notebook.save();
  const answer = await request.get(
    `/api/contents/${notebookPath}?content=1&type=notebook`
  );
  expect(answer.ok()).toBe(true);
  const cells: ISavedCell[] = (await answer.json()).content.cells;
  const code = cells.filter(cell => cell.cell_type === 'code');
  const texts = code.map((cell, index) => {
    const errors = (cell.outputs ?? []).filter(o => o.output_type === 'error');
    expect(
      errors.map(e => `${e.ename}: ${e.evalue}`),
      `code cell ${index}`
    ).toEqual([]);
    expect(cell.execution_count, `code cell ${index} ran`).toBeGreaterThan(0);
    return (cell.outputs ?? [])
      .map(o => {
        const text = o.text ?? o.data?.['text/plain'] ?? '';
        return Array.isArray(text) ? text.join('') : text;
      })
      .join('');
  });
  return texts;
}

/** The whole notebook, light then dark, tall enough for every cell. */
async function shootNotebook(
  page: IJupyterLabPageFixture,
  testInfo: any,
  name: string
): Promise<void> {
  await page.setViewportSize({ width: 1280, height: 2200 });
  // From the first cell: Run All leaves the notebook scrolled to its last one.
  await page
    .locator('.jp-NotebookPanel:visible .jp-WindowedPanel-outer')
    .evaluate(element => element.scrollTo(0, 0));
  for (const dark of [false, true]) {
    if (dark) {
      await page.theme.setDarkTheme();
    }
    const shot = testInfo.outputPath(`${name}${dark ? '-dark' : ''}.png`);
    await page.locator('.jp-NotebookPanel:visible').screenshot({ path: shot });
    await testInfo.attach(`${name}${dark ? '-dark' : ''}`, { path: shot });
  }
  await page.theme.setLightTheme();
}

test.describe('Colab notebooks run as written', () => {
  test.describe.configure({ mode: 'serial' });

  test('GPU + Drive: mount /content/drive, write and read MyDrive, %cd /content, %%bash', async ({
    page,
    request,
    tmpPath
  }, testInfo) => {
    test.setTimeout(150000);
    const name = 'colab_gpu_drive.ipynb';
    // A new user: Drive not connected yet (disconnecting also unmounts a leftover mount).
    await call(page, 'POST', '/colab/drive/disconnect');
    await openAsWritten(page, tmpPath, name);
    await runAll(page);

    // drive.mount asks, as Colab does; the user connects through Google's (fake) consent page.
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(DRIVE_PROMPT, { timeout: 60000 });
    await expect(dialog).toContainText('/content/drive');
    const popupPromise = page.waitForEvent('popup');
    await dialog
      .getByRole('button', { name: 'Connect to Google Drive' })
      .click();
    const popup = await popupPromise;
    await popup.locator('#allow').click();

    await waitForAllRun(page);
    const out = await savedOutputs(page, request, `${tmpPath}/${name}`);
    // The notebook asks for a GPU: its kernel started on one of the server's (stand-in) GPUs.
    expect(out[0]).toContain('GPU runtime: True | devices: 1');
    expect(out[0]).toContain('Runtime type: gpu');
    expect(out[0]).toContain('Looks like Colab: False');
    expect(out[1]).toContain('Mounted at /content/drive');
    expect(out[3]).toMatch(/wrote \d+ bytes/);
    expect(out[4]).toContain('rows: 8');
    expect(out[4]).toContain("totals: {'north': 100, 'south': 54}");
    expect(out[6]).toContain('sales.csv');
    // csv.writer ends rows with \r\n, as everywhere.
    expect(out[6].replace(/\r/g, '')).toContain(
      'week,region,units\n1,north,10\n1,south,6'
    );
    expect(out[6]).toContain('lines: 9');
    expect(out[7]).toContain('weekly-sales');
    expect(out[7]).toContain('Colab Notebooks');
    expect(out[8]).toContain('should now be visible in Drive');
    expect(out[8]).toContain('mounted after unmount: False');

    // flush_and_unmount wrote it through to Drive: the (fake) Drive has the file, whole.
    const find = async (name: string, parent: string) =>
      (
        await (
          await request.get(
            `${FAKE_DRIVE}/_fake/find?name=${encodeURIComponent(name)}&parent=${parent}`
          )
        ).json()
      ).file;
    const folder = await find('weekly-sales', 'root');
    expect(folder).not.toBeNull();
    const sales = await find('sales.csv', folder.id);
    expect(sales).not.toBeNull();
    expect(out[3]).toContain(`wrote ${sales.size} bytes`);

    await shootNotebook(page, testInfo, 'colab-gpu-drive');
    await call(page, 'POST', '/colab/drive/disconnect');
  });

  test('upload + secrets + eval_js: the picker, userdata.get with and without access', async ({
    page,
    request,
    tmpPath
  }, testInfo) => {
    test.setTimeout(120000);
    const name = 'colab_upload_secrets.ipynb';
    const notebookPath = `${tmpPath}/${name}`;
    // The names the notebook uses, as written; values of this run only. HF_TOKEN is granted
    // beforehand (as in the Secrets panel); SCORES_API_KEY is not, so the page asks.
    const run = Date.now().toString(36);
    const token = `hf_galata_${run}`;
    const apiKey = `sk-galata-${run}-scores`;
    for (const secret of ['HF_TOKEN', 'SCORES_API_KEY', 'NOT_A_SECRET']) {
      await call(page, 'DELETE', `/colab/secrets/names/${secret}`);
    }
    expect(
      await call(page, 'POST', '/colab/secrets/names', {
        name: 'HF_TOKEN',
        value: token,
        path: notebookPath,
        access: true
      })
    ).toBe(201);
    expect(
      await call(page, 'POST', '/colab/secrets/names', {
        name: 'SCORES_API_KEY',
        value: apiKey
      })
    ).toBe(201);

    await openAsWritten(page, tmpPath, name);
    await runAll(page);

    // files.upload(): a real file through the picker in the first cell's output.
    const picker = page
      .locator('.jp-Cell')
      .nth(1)
      .locator('.jp-OutputArea .jp-colab-Upload');
    await expect(
      picker.getByRole('button', { name: 'Choose files' })
    ).toBeVisible({ timeout: 60000 });
    const csv = 'student,score\nada,91\ngrace,87\nalan,78\n';
    await picker.locator('input[type=file]').setInputFiles({
      name: 'scores.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from(csv)
    });

    // userdata.get of a secret without access: the grant prompt.
    const grant = page.locator('.jp-colab-SecretsPromptDialog');
    await expect(grant).toBeVisible({ timeout: 60000 });
    await expect(grant).toContainText(
      `Grant ${name} access to secret SCORES_API_KEY?`
    );
    await grant.getByRole('button', { name: 'Grant access' }).click();

    await waitForAllRun(page);
    const out = await savedOutputs(page, request, notebookPath);
    expect(out[0]).toContain('Saving scores.csv to scores.csv');
    expect(out[0]).toContain(
      `User uploaded file "scores.csv" with length ${csv.length} bytes`
    );
    expect(out[1]).toContain('students: 3 | mean score: 85.33');
    expect(out[2]).toContain(`HF token set: True ${token.length}`);
    expect(out[3]).toContain(`API key read: True ${apiKey.length}`);
    expect(out[4]).toContain('NOT_A_SECRET is not set, using the default');
    expect(out[5]).toContain('browser answered: True');
    expect(out[5]).toContain('promise answered: 42');
    // The upload landed beside the notebook, and no secret went into the notebook's file.
    const saved = await request.get(`/api/contents/${notebookPath}?content=1`);
    const text = await saved.text();
    expect(text).not.toContain(token);
    expect(text).not.toContain(apiKey);
    expect(await page.contents.fileExists(`${tmpPath}/scores.csv`)).toBe(true);

    await shootNotebook(page, testInfo, 'colab-upload-secrets');
    for (const secret of ['HF_TOKEN', 'SCORES_API_KEY']) {
      await call(page, 'DELETE', `/colab/secrets/names/${secret}`);
    }
  });

  test('two tabs on one notebook: only the tab that ran the cell downloads and evaluates', async ({
    page,
    context,
    baseURL,
    tmpPath
  }) => {
    test.setTimeout(120000);
    const name = 'colab-two-tabs.ipynb';
    await page.contents.uploadContent(
      JSON.stringify({
        nbformat: 4,
        nbformat_minor: 0,
        metadata: {
          colab: { provenance: [] },
          kernelspec: { name: 'python3', display_name: 'Python 3' }
        },
        cells: [
          {
            cell_type: 'code',
            execution_count: null,
            metadata: {},
            outputs: [],
            source: "print('hello from tab B')"
          },
          {
            cell_type: 'code',
            execution_count: null,
            metadata: {},
            outputs: [],
            source: [
              'from google.colab import files, output\n',
              "open('report.csv', 'w').write('tab,value\\nA,1\\n')\n",
              "print('evaluated in tab', output.eval_js('window.colabTabName'))\n",
              "files.download('report.csv')"
            ]
          }
        ]
      }),
      'text',
      `${tmpPath}/${name}`
    );
    await page.notebook.open(name);
    await page.notebook.activate(name);
    await page.evaluate(() => ((window as any).colabTabName = 'A'));

    // Tab B: the same notebook, the same kernel, its own kernel connection.
    const other = await context.newPage();
    const otherDownloads: string[] = [];
    other.on('download', download =>
      otherDownloads.push(download.suggestedFilename())
    );
    await other.goto(`${baseURL}/lab/tree/${tmpPath}/${name}`);
    // B runs a cell first, so its connection to the kernel is live when A runs its cell.
    const otherCell = other.locator('.jp-NotebookPanel .jp-CodeCell').first();
    await expect(otherCell).toBeVisible({ timeout: 60000 });
    await expect(other.locator('#jp-main-statusbar')).toContainText('Idle', {
      timeout: 60000
    });
    await other.evaluate(() => ((window as any).colabTabName = 'B'));
    await otherCell.click();
    await other.keyboard.press('Control+Enter');
    await expect(otherCell.locator('.jp-OutputArea')).toContainText(
      'hello from tab B',
      { timeout: 60000 }
    );

    // Tab A runs the cell that downloads and evaluates.
    await page.bringToFront();
    const downloading = page.waitForEvent('download');
    await page.notebook.runCell(1, true);
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('report.csv');
    expect(readFileSync(await download.path()).toString()).toBe(
      'tab,value\nA,1\n'
    );
    await expect(
      page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea')
    ).toContainText('evaluated in tab A');
    // Tab B did nothing: no download, no output of A's cell, no error.
    await other.waitForTimeout(3000);
    expect(otherDownloads).toEqual([]);
    const otherSecond = other.locator('.jp-NotebookPanel .jp-CodeCell').nth(1);
    await expect(otherSecond.locator('.jp-OutputArea')).not.toContainText(
      'evaluated in tab'
    );
    await other.close();
  });
});
