import { expect, test } from '@jupyterlab/galata';
import { readFileSync } from 'fs';

import { openNewNotebook } from './support/sessions';

const NOTEBOOK = 'colab-files.ipynb';
const CSV = 'a,b\n1,2\n';

test.describe('google.colab.files', () => {
  test('files.download saves the file in the browser; files.view opens it in a tab', async ({
    page,
    tmpPath
  }, testInfo) => {
    await openNewNotebook(page, tmpPath, NOTEBOOK);

    // Download: the browser saves the file under its own name, with its content.
    await page.notebook.setCell(
      0,
      'code',
      [
        `open('x.csv', 'w').write(${JSON.stringify(CSV)})`,
        'from google.colab import files',
        "files.download('x.csv')"
      ].join('\n')
    );
    const downloading = page.waitForEvent('download');
    await page.notebook.runCell(0, true);
    const download = await downloading;
    expect(download.suggestedFilename()).toBe('x.csv');
    expect(readFileSync(await download.path()).toString()).toBe(CSV);
    // As quiet as Colab: nothing in the cell's output.
    const first = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea');
    await expect(first).not.toContainText('Error');

    // View: a tab titled x.csv, in front.
    await page.notebook.addCell('code', "files.view('x.csv')");
    // Not waiting for the kernel's "Idle" in the status bar: the new tab comes to the front and
    // the notebook's kernel status goes out of view with it.
    await page.notebook.runCell(1, { inplace: true, wait: false });
    const tab = page.locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: 'x.csv'
    });
    await expect(tab).toHaveCount(1);
    await expect(tab).toHaveClass(/lm-mod-current/);
    // JupyterLab's own viewer for the file type (a grid for CSV).
    await expect(page.locator('.jp-CSVViewer:visible')).toHaveCount(1);
    const viewed = testInfo.outputPath('colab-files-view.png');
    await page.screenshot({ path: viewed });
    await testInfo.attach('colab-files-view', { path: viewed });

    // Back in the notebook: Colab's error for a missing file, and a notification for a file
    // the server does not serve (hidden files, by default), instead of a broken download.
    await page.notebook.activate(NOTEBOOK);
    await page.notebook.addCell('code', "files.download('missing.csv')");
    await page.notebook.runCell(2, true);
    await expect(
      page.locator('.jp-Cell').nth(2).locator('.jp-OutputArea')
    ).toContainText('FileNotFoundError: Cannot find file: missing.csv');

    await page.notebook.addCell(
      'code',
      "open('.hidden.csv', 'w').write('x')\nfiles.download('.hidden.csv')"
    );
    await page.notebook.runCell(3, true);
    const toast = page.locator('.Toastify__toast', {
      hasText: 'Could not download'
    });
    await expect(toast).toContainText('.hidden.csv');
    // (The toast cuts a long message short: the start of the reason is what is always shown.)
    await expect(toast).toContainText('the Jupyter server does not serve');
    const failed = testInfo.outputPath('colab-files-hidden.png');
    await page.screenshot({ path: failed });
    await testInfo.attach('colab-files-hidden', { path: failed });
  });
});
