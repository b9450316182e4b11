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
    // The copy's name: the notebook's, checked as it is typed.
    const saveHere = page.getByRole('button', { name: 'Save here' });
    const name = page.getByLabel('File name in Drive');
    const problem = page.locator('.jp-colab-DriveName-problem');
    await expect(name).toHaveValue('analysis.ipynb');
    for (const [typed, says] of [
      ['', 'Give the copy a file name.'],
      ['reports/analysis.ipynb', "may not contain '/'"],
      [`${'x'.repeat(250)}.ipynb`, 'longer than 244 bytes']
    ]) {
      await name.fill(typed);
      await expect(problem).toContainText(says);
      await expect(saveHere).toBeDisabled();
    }
    await shoot(page, testInfo, 'drive-save-name-error', '.jp-Dialog-content');
    await page.theme.setDarkTheme();
    await shoot(
      page,
      testInfo,
      'drive-save-name-error-dark',
      '.jp-Dialog-content'
    );
    await page.theme.setLightTheme();
    await name.fill('analysis (copy).ipynb');
    await expect(problem).toBeEmpty();
    await expect(saveHere).toBeEnabled();
    await saveHere.click();
    await expect(
      page
        .locator('.Toastify__toast')
        .getByText('Saved a copy of analysis (copy).ipynb in Drive.')
    ).toBeVisible({ timeout: 30000 });
    const saved = await request.get(
      `${FAKE_DRIVE}/_fake/find?name=${encodeURIComponent('analysis (copy).ipynb')}&parent=root`
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

test.describe('Google Drive for a new user', () => {
  test('the Drive button says what it is', async ({ page }, testInfo) => {
    const toolbar = page.locator('.jp-FileBrowser-toolbar');
    // The toolbar button is a web component: its host carries the command and the tooltip,
    // the button inside it the accessible name.
    const host = toolbar.locator('[data-command="colab-ext:drive-menu"]');
    const button = host.getByRole('button', {
      name: 'Google Drive',
      exact: true
    });
    await expect(button).toBeVisible();
    await expect(
      toolbar.getByRole('button', { name: 'Google Drive' })
    ).toHaveCount(1);
    // A visible label, and a tooltip that also says whether Drive is connected.
    await expect(host.locator('.jp-ToolbarButtonComponent-label')).toHaveText(
      'Google Drive'
    );
    await expect(host).toHaveAttribute('title', /^Google Drive: /);
    await shoot(page, testInfo, 'drive-toolbar', '.jp-FileBrowser');
    await page.theme.setDarkTheme();
    await shoot(page, testInfo, 'drive-toolbar-dark', '.jp-FileBrowser');
    await page.theme.setLightTheme();
  });

  test('the setup dialog shows the redirect URI the server sends', async ({
    page
  }, testInfo) => {
    // A notebook open: the page is at /lab/tree/..., which must not leak into the URI.
    await page.notebook.createNew('redirect-uri.ipynb');
    await expect(page).toHaveURL(/\/lab\/tree\//);
    // This server has an admin client; show the dialog a server without one shows.
    await page.route('**/colab/drive/status*', async route => {
      const response = await route.fetch();
      const json = { ...(await response.json()), connected: false };
      await route.fulfill({ response, json: { ...json, client_source: null } });
    });
    await driveMenu(page, 'Connect to Google Drive…');
    const dialog = page.locator('.jp-Dialog .jp-colab-DriveClient');
    const shown = await dialog.locator('code').textContent();
    const sent = await page.evaluate(async () => {
      const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
      const answer = await fetch('/colab/drive/connect', {
        method: 'POST',
        headers: { 'X-XSRFToken': xsrf }
      });
      const { auth_url } = await answer.json();
      return new URL(auth_url).searchParams.get('redirect_uri');
    });
    expect(sent).toMatch(/\/colab\/drive\/oauth\/callback$/);
    expect(shown).toBe(sent);
    await expect(
      dialog.getByRole('button', { name: 'Copy the redirect URI' })
    ).toBeVisible();
    await shoot(page, testInfo, 'drive-setup', '.jp-Dialog-content');
    await page.theme.setDarkTheme();
    await shoot(page, testInfo, 'drive-setup-dark', '.jp-Dialog-content');
    await page.theme.setLightTheme();
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.unroute('**/colab/drive/status*');
    await page.notebook.close(true); // the file goes with Galata's tmpPath
  });
});
