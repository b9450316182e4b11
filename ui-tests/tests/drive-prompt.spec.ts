import { expect, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

import { openNewNotebook } from './support/sessions';

const MOUNT_CELL = [
  'from google.colab import drive',
  "drive.mount('prompt_drive')",
  "print(sorted(__import__('os').listdir('prompt_drive/MyDrive'))[:1])"
].join('\n');

const PROMPT = 'Permit this notebook to access your Google Drive files?';

async function disconnect(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
    await fetch('/colab/drive/disconnect', {
      method: 'POST',
      headers: { 'X-XSRFToken': xsrf }
    });
  });
}

test.describe('drive.mount before Drive is connected', () => {
  test.use({ autoGoto: true });

  test('asks as Colab does: No thanks fails the call, Connect lets it mount', async ({
    page,
    tmpPath
  }, testInfo) => {
    await disconnect(page);
    // Its own name from the start: the reloaded page below must find the same session.
    await openNewNotebook(page, tmpPath, 'drive-prompt.ipynb');
    await page.notebook.setCell(0, 'code', MOUNT_CELL);
    const output = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea');

    // No thanks: Colab's error, and the prompt is gone.
    await page.notebook.runCell(0, { inplace: true, wait: false });
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText(PROMPT, { timeout: 30000 });
    await expect(dialog).toContainText('prompt_drive');
    const asked = testInfo.outputPath('drive-prompt.png');
    await page.screenshot({ path: asked });
    await testInfo.attach('drive-prompt', { path: asked });
    await dialog.getByRole('button', { name: 'No thanks' }).click();
    await expect(output).toContainText(
      'mount failed: credential propagation was unsuccessful',
      { timeout: 30000 }
    );
    await expect(dialog).toHaveCount(0);

    // Connect: the usual consent popup, then the waiting call mounts.
    await page.notebook.runCell(0, { inplace: true, wait: false });
    await expect(dialog).toContainText(PROMPT, { timeout: 30000 });
    const popupPromise = page.waitForEvent('popup');
    await dialog
      .getByRole('button', { name: 'Connect to Google Drive' })
      .click();
    const popup = await popupPromise;
    await popup.locator('#allow').click();
    await expect(output).toContainText('Mounted at', { timeout: 60000 });
    await expect(output).toContainText('prompt_drive');
    await expect(output).toContainText("['Colab Notebooks']");
    const mounted = testInfo.outputPath('drive-prompt-mounted.png');
    await page.locator('.jp-NotebookPanel').screenshot({ path: mounted });
    await testInfo.attach('drive-prompt-mounted', { path: mounted });

    await page.notebook.addCell('code', 'drive.flush_and_unmount()');
    await page.notebook.runCell(1, { inplace: true });
    await expect(
      page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea')
    ).toContainText('should now be visible in Drive', { timeout: 60000 });
    await disconnect(page);

    // A reload while the call waits: the kernel asks again, and the reloaded page shows it.
    await page.notebook.save(); // the cell's id in the file: the reloaded page finds the cell
    await page.notebook.runCell(0, { inplace: true, wait: false });
    await expect(dialog).toContainText(PROMPT, { timeout: 30000 });
    await page.reload({ waitForIsReady: false });
    await page.locator('#jupyterlab-splash').waitFor({ state: 'detached' });
    await expect(dialog).toContainText(PROMPT, { timeout: 45000 });
    await dialog.getByRole('button', { name: 'No thanks' }).click();
    await expect(dialog).toHaveCount(0);
    await page.notebook.activate('drive-prompt.ipynb'); // Galata's view of the new page
    await page.notebook.setCell(1, 'code', "print('the kernel is free')");
    await page.notebook.runCell(1, { inplace: true });
    await expect(
      page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea')
    ).toContainText('the kernel is free', { timeout: 30000 });
  });
});
