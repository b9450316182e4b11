import { expect, galata, test } from '@jupyterlab/galata';
import type { Page } from '@playwright/test';

/** The fake Drive the Galata server talks to (see jupyter_server_test_config.py). */
const FAKE_DRIVE = `http://127.0.0.1:${
  process.env.COLAB_EXT_FAKE_DRIVE_PORT ??
  Number(process.env.COLAB_EXT_UI_PORT ?? '8888') + 2000
}`;

async function driveMenu(page: Page, item: string): Promise<void> {
  await page
    .locator('.jp-FileBrowser-toolbar [data-command="colab-ext:drive-menu"]')
    .click();
  await page
    .locator('.jp-colab-DriveMenu')
    .getByText(item, { exact: true })
    .click();
}

async function shoot(page: Page, testInfo: any, name: string, target?: string) {
  const path = testInfo.outputPath(`${name}.png`);
  await (target ? page.locator(target).first() : page).screenshot({ path });
  await testInfo.attach(name, { path });
}

test.describe.serial('Google Drive', () => {
  test('connect, mount, open a notebook from Drive, save a copy', async ({
    page,
    request
  }, testInfo) => {
    // Start disconnected, also on a retry (disconnecting unmounts too).
    await page.evaluate(async () => {
      const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
      await fetch('/colab/drive/disconnect', {
        method: 'POST',
        headers: { 'X-XSRFToken': xsrf }
      });
    });
    // Connect: Google's (fake) consent page opens in a popup and closes itself.
    const popupPromise = page.waitForEvent('popup');
    await driveMenu(page, 'Connect to Google Drive…');
    const popup = await popupPromise;
    await expect(popup.locator('h1')).toHaveText('Fake Google');
    await popup.locator('#allow').click();
    await expect(
      page
        .locator('.Toastify__toast')
        .getByText('Connected to Google Drive as ada@example.com.')
    ).toBeVisible({ timeout: 20000 });
    // The callback page closed its popup.
    await expect.poll(() => popup.isClosed(), { timeout: 10000 }).toBe(true);
    await shoot(page, testInfo, 'drive-connected');

    // The Drive button's menu, now that Drive is connected.
    await page
      .locator('.jp-FileBrowser-toolbar [data-command="colab-ext:drive-menu"]')
      .click();
    await expect(page.locator('.jp-colab-DriveMenu')).toBeVisible();
    await shoot(page, testInfo, 'drive-menu');
    await page.keyboard.press('Escape');

    // Mount: the file browser goes into drive/MyDrive, whose files come from Drive.
    await driveMenu(page, 'Mount Drive');
    const listing = page.locator('.jp-DirListing-content');
    await expect(listing.getByText('Colab Notebooks')).toBeVisible({
      timeout: 30000
    });
    await expect(listing.getByText('Quarterly plan.docx')).toBeVisible();
    await expect(page.locator('.jp-FileBrowser .jp-BreadCrumbs')).toContainText(
      'MyDrive'
    );
    await shoot(page, testInfo, 'drive-mounted', '.jp-FileBrowser');

    // Open a notebook straight from the mount.
    await listing.getByText('Colab Notebooks').dblclick();
    await listing.getByText('analysis.ipynb').dblclick();
    await expect(
      page
        .locator('.jp-NotebookPanel')
        .getByRole('heading', { name: 'Analysis from Drive' })
    ).toBeVisible({ timeout: 30000 });
    await shoot(page, testInfo, 'drive-notebook-open');

    // Edit and save it twice, in place on the mount: no "File Changed" conflict in between.
    for (const text of ['first edit', 'second edit']) {
      await page.notebook.setCell(
        0,
        'markdown',
        `# Analysis from Drive\n\n${text}`
      );
      await page.notebook.save();
      await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    }

    // Save a copy in Drive, through the picker, into My Drive.
    await page.menu.clickMenuItem('File>Google Drive>Save a copy in Drive…');
    const picker = page.locator('.jp-Dialog .jp-colab-DrivePicker');
    await expect(picker.getByText('Colab Notebooks')).toBeVisible();
    await shoot(page, testInfo, 'drive-picker', '.jp-Dialog-content');
    await page.theme.setDarkTheme();
    await shoot(page, testInfo, 'drive-picker-dark', '.jp-Dialog-content');
    await page.theme.setLightTheme();
    await page.getByRole('button', { name: 'Save here' }).click();
    await expect(
      page
        .locator('.Toastify__toast')
        .getByText('Saved a copy of analysis.ipynb in Drive.')
    ).toBeVisible({ timeout: 30000 });
    const saved = await request.get(
      `${FAKE_DRIVE}/_fake/find?name=analysis.ipynb&parent=root`
    );
    expect((await saved.json()).file).not.toBeNull();

    // Open from Drive: a copy in the server's root folder, opened in the lab.
    await page.menu.clickMenuItem('File>Google Drive>Open from Drive…');
    await picker.getByText('Colab Notebooks').click();
    await picker.getByText('analysis.ipynb').click();
    await page.getByRole('button', { name: 'Open', exact: true }).click();
    await expect(
      page.locator('.jp-NotebookPanel:visible').getByRole('heading', {
        name: 'Analysis from Drive'
      })
    ).toBeVisible({ timeout: 30000 });
    await shoot(page, testInfo, 'drive-opened-copy');

    await page.menu.clickMenuItem('File>Close All Tabs');
    // The copy lands in the server's root, shared with the other specs: leave it as it was.
    await page.contents.deleteFile('analysis.ipynb');
    await driveMenu(page, 'Unmount Drive');
    await expect(
      page
        .locator('.Toastify__toast')
        .getByText('Google Drive is unmounted; every change is in Drive.')
    ).toBeVisible({ timeout: 30000 });
    void galata;
  });
});
