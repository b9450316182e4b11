import { expect, test } from '@jupyterlab/galata';

import { openNewNotebook } from './support/sessions';

const NOTEBOOK = 'colab-upload.ipynb';
/** A few MB: several of the contents API's 1 MiB chunks. */
const BIG = 3 * 1024 * 1024 + 4321;

test.describe('google.colab.files.upload', () => {
  test('the picker in the cell writes the chosen files; Cancel returns {}', async ({
    page,
    tmpPath
  }, testInfo) => {
    await openNewNotebook(page, tmpPath, NOTEBOOK);
    // A name already there: Colab saves the upload beside it as "notes (1).txt".
    await page.contents.uploadContent('old', 'text', `${tmpPath}/notes.txt`);

    await page.notebook.setCell(
      0,
      'code',
      'from google.colab import files\nup = files.upload()'
    );
    await page.notebook.runCell(0, { inplace: true, wait: false });
    const cell = page.locator('.jp-Cell').nth(0);
    const picker = cell.locator('.jp-OutputArea .jp-colab-Upload');
    await expect(
      picker.getByRole('button', { name: 'Choose files' })
    ).toBeVisible();
    await expect(
      picker.getByRole('button', { name: 'Cancel upload' })
    ).toBeVisible();
    const shot = testInfo.outputPath('colab-upload-picker.png');
    await cell.screenshot({ path: shot });
    await testInfo.attach('colab-upload-picker', { path: shot });

    const big = Buffer.alloc(BIG);
    for (let i = 0; i < BIG; i++) {
      big[i] = (i * 7919) % 251;
    }
    await picker.locator('input[type=file]').setInputFiles([
      { name: 'big.bin', mimeType: 'application/octet-stream', buffer: big },
      {
        name: 'notes.txt',
        mimeType: 'text/plain',
        buffer: Buffer.from('hello')
      }
    ]);
    const output = cell.locator('.jp-OutputArea');
    await expect(output).toContainText('Saving big.bin to big.bin', {
      timeout: 60000
    });
    await expect(output).toContainText('Saving notes.txt to notes (1).txt');
    await expect(picker).toHaveCount(0); // gone once answered: never an output

    await page.notebook.addCell(
      'code',
      [
        'import hashlib',
        'print({k: len(v) for k, v in up.items()})',
        "print(open('big.bin', 'rb').read() == up['big.bin'], open('notes.txt').read())",
        "print(hashlib.sha256(up['big.bin']).hexdigest()[:16])"
      ].join('\n')
    );
    await page.notebook.runCell(1, true);
    const sizes = page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea');
    await expect(sizes).toContainText(`{'big.bin': ${BIG}, 'notes.txt': 5}`);
    await expect(sizes).toContainText('True old');
    const crypto = await import('crypto');
    const digest = crypto.createHash('sha256').update(big).digest('hex');
    await expect(sizes).toContainText(digest.slice(0, 16));

    // In the file browser's folder, as JupyterLab lists it.
    await page.filebrowser.refresh();
    const listing = page.locator('.jp-DirListing-content');
    await expect(listing).toContainText('big.bin');
    await expect(listing).toContainText('notes (1).txt');

    // Cancel upload: {} as in Colab, and the picker goes away.
    await page.notebook.addCell('code', "print(files.upload('later'))");
    await page.notebook.runCell(2, { inplace: true, wait: false });
    const third = page.locator('.jp-Cell').nth(2);
    await third.getByRole('button', { name: 'Cancel upload' }).click();
    await expect(third.locator('.jp-OutputArea')).toContainText('{}');
    await expect(third.locator('.jp-colab-Upload')).toHaveCount(0);
  });

  test('a reloaded page shows the waiting picker again, and its answer counts', async ({
    page,
    tmpPath
  }, testInfo) => {
    await openNewNotebook(page, tmpPath, 'colab-upload-reload.ipynb');
    await page.notebook.setCell(
      0,
      'code',
      "from google.colab import files\nup = files.upload('after_reload')"
    );
    await page.notebook.save(); // the cell's id in the file: the reloaded page finds the cell
    await page.notebook.runCell(0, { inplace: true, wait: false });
    const picker = page.locator('.jp-Cell').nth(0).locator('.jp-colab-Upload');
    await expect(picker).toBeVisible();

    // The kernel still waits; the page that took the request goes away.
    // (The restored layout shows the notebook, not the Launcher Galata waits for by default.)
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect(picker).toBeVisible({ timeout: 45000 });
    const shot = testInfo.outputPath('colab-upload-after-reload.png');
    await page.locator('.jp-NotebookPanel').screenshot({ path: shot });
    await testInfo.attach('colab-upload-after-reload', { path: shot });
    await picker
      .locator('input[type=file]')
      .setInputFiles([
        { name: 'r.txt', mimeType: 'text/plain', buffer: Buffer.from('again') }
      ]);
    await expect(picker).toHaveCount(0);
    await page.notebook.activate('colab-upload-reload.ipynb'); // Galata's view of the new page

    // The output of a run started by the page before the reload is not shown in this page (as
    // JupyterLab does for any run); the next cell runs once upload() returned.
    await page.notebook.addCell(
      'code',
      "print(up, open('after_reload/r.txt').read())"
    );
    await page.notebook.runCell(1, true);
    await expect(
      page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea')
    ).toContainText("{'r.txt': b'again'} again");
  });
});
