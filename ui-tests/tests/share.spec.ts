import { expect, test } from '@jupyterlab/galata';
import { ChildProcess, spawn } from 'child_process';
import { readFileSync } from 'fs';
import * as path from 'path';

const NOTEBOOK = 'share-demo.ipynb';

test.describe('Share links', () => {
  test('share a notebook, open the link as a stranger, revoke it', async ({
    page,
    browser
  }, testInfo) => {
    const shot = async (
      name: string,
      target: { screenshot: (o: { path: string }) => Promise<unknown> }
    ) => {
      const path = testInfo.outputPath(`${name}.png`);
      await target.screenshot({ path });
      await testInfo.attach(name, { path });
    };

    // The galata server keeps its links between runs (the user's data dir): a label of our own.
    const label = `for galata ${Date.now()}`;
    // A notebook with a plain output and an HTML output that carries a script.
    await page.notebook.createNew(NOTEBOOK);
    await page.notebook.setCell(0, 'code', "print('galata-share-marker')");
    await page.notebook.addCell(
      'code',
      'from IPython.display import HTML\n' +
        'HTML("<b>bold-ok</b><script>window.pwned = 1</script>")'
    );
    await page.notebook.run();
    await page.notebook.save();

    // The Share button in the notebook toolbar opens the dialog.
    await shot('notebook-toolbar', page.locator('.jp-NotebookPanel-toolbar'));
    await page
      .locator('.jp-NotebookPanel-toolbar [data-jp-item-name="colab-share"]')
      .getByRole('button')
      .click();
    const form = page.locator('.jp-Dialog .jp-colab-ShareForm');
    await expect(form).toBeVisible();
    // The GitHub feature is installed, so the Gist / nbviewer option is offered.
    await expect(form.locator('button[name="gist"]')).toBeEnabled();
    await expect(form).toContainText('GitHub');
    await form.locator('input[name="label"]').fill(label);
    await form.locator('select[name="expiry_unit"]').selectOption('hours');
    await form.locator('input[name="expiry_amount"]').fill('2');
    await shot('share-dialog', page.locator('.jp-Dialog-content'));
    await page.getByRole('button', { name: 'Create link' }).click();

    // The link is shown (and copied).
    const urlField = page.locator('.jp-colab-ShareLink-url');
    await expect(urlField).toBeVisible();
    const url = await urlField.inputValue();
    expect(url).toMatch(/\/colab\/share\/view\/[A-Za-z0-9_-]{43}$/);
    expect(url).not.toContain('token=');
    // Made to last 2 hours, it reads so, not "1 hour" a second later (#16).
    await expect(page.locator('.jp-Dialog-content')).toContainText(
      'Expires in 2 hours.'
    );
    await shot('share-link', page.locator('.jp-Dialog-content'));
    await page.getByRole('button', { name: 'Done' }).click();

    // A stranger: a fresh browser context, with no cookie and no server token.
    const stranger = await browser.newContext();
    expect(await stranger.cookies()).toEqual([]);
    const visitor = await stranger.newPage();
    const response = await visitor.goto(url);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain(
      "script-src 'none'"
    );
    await expect(visitor.locator('.colab-share-name')).toHaveText(NOTEBOOK);
    await expect(
      visitor.getByText('galata-share-marker').first()
    ).toBeVisible();
    await expect(visitor.locator('b', { hasText: 'bold-ok' })).toBeVisible();
    await expect(visitor.locator('a.colab-share-download')).toBeVisible();
    // The script in the output did not run (and is not even on the page).
    expect(await visitor.evaluate(() => (window as any).pwned)).toBeUndefined();
    expect(await visitor.locator('script').count()).toBe(0);
    await expect(
      visitor.locator('.jp-OutputArea-output', { hasText: 'window.pwned' })
    ).toHaveCount(0);
    await shot('share-page', visitor);
    // The download button works inside the sandboxed page.
    const [download] = await Promise.all([
      visitor.waitForEvent('download'),
      visitor.locator('a.colab-share-download').click()
    ]);
    expect(download.suggestedFilename()).toBe(NOTEBOOK);
    const saved = JSON.parse(readFileSync(await download.path(), 'utf-8'));
    expect(JSON.stringify(saved.cells[0].outputs)).toContain(
      'galata-share-marker'
    );

    // The owner sees the link and its visit in the Shared Links panel, and revokes it.
    await page.menu.clickMenuItem('File>Shared Links');
    const row = page.locator('.jp-colab-SharedLinks tbody tr', {
      hasText: label
    });
    await expect(row).toHaveCount(1);
    // The notebook's name, above its folder (galata gives each test a folder of its own).
    await expect(row.locator('.jp-colab-SharedLinks-open')).toHaveText(
      NOTEBOOK
    );
    await expect(row.locator('[data-column="path"]')).toHaveAttribute(
      'title',
      new RegExp(`/${NOTEBOOK}$`)
    );
    await expect(row.locator('[data-column="visits"]')).toHaveText('1');
    await expect(row.locator('[data-column="expires"]')).toContainText(
      'in 2 hours'
    );
    await shot('shared-links-panel', page.locator('.jp-colab-SharedLinks'));
    await row.getByRole('button', { name: 'Revoke' }).click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Revoke' })
      .click();
    await expect(row.locator('[data-column="status"]')).toHaveText('revoked');
    await shot('shared-links-revoked', page.locator('.jp-colab-SharedLinks'));

    // The stranger reloads: the notebook is gone.
    const gone = await visitor.reload();
    expect(gone?.status()).toBe(404);
    await expect(visitor.locator('.colab-share-gone')).toBeVisible();
    await expect(visitor.getByText('galata-share-marker')).toHaveCount(0);
    await shot('share-page-revoked', visitor);
    await stranger.close();

    // The same UI in the dark theme.
    await page.theme.setDarkTheme();
    await shot(
      'shared-links-panel-dark',
      page.locator('.jp-colab-SharedLinks')
    );
    await page.notebook.open(NOTEBOOK);
    await page.menu.clickMenuItem('File>Share…');
    await expect(form).toBeVisible();
    await shot('share-dialog-dark', page.locator('.jp-Dialog-content'));
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.theme.setLightTheme();
  });
});

test.describe('Share as Gist / nbviewer', () => {
  // The real GitHub feature, against the fake GitHub the test server is pointed at
  // (jupyter_server_test_config.py; started here as in github.spec.ts).
  const uiPort = Number(process.env.COLAB_EXT_UI_PORT || '8888');
  const fakeUrl = `http://127.0.0.1:${
    process.env.COLAB_EXT_FAKE_GITHUB_PORT || String(uiPort + 1000)
  }`;
  const TOKEN = 'ghp_galata_share_0123456789';
  let fake: ChildProcess;

  test.beforeAll(async ({ request }) => {
    fake = spawn(
      process.env.PYTHON || 'python3',
      [
        path.resolve(__dirname, '../../tests/github/fake_github.py'),
        '--port',
        new URL(fakeUrl).port,
        '--token',
        TOKEN
      ],
      { stdio: 'inherit' }
    );
    await expect
      .poll(
        async () =>
          (
            await request
              .get(`${fakeUrl}/user`, {
                headers: { Authorization: `token ${TOKEN}` }
              })
              .catch(() => null)
          )?.status() ?? 0,
        { timeout: 20000 }
      )
      .toBe(200);
  });

  test.afterAll(() => {
    fake?.kill();
  });

  test('the dialog hands the notebook to the GitHub feature', async ({
    page,
    request
  }, testInfo) => {
    await page.evaluate(async token => {
      const xsrf = /_xsrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const response = await fetch('/colab/github/account', {
        method: 'PUT',
        body: JSON.stringify({ token }),
        headers: { 'X-XSRFToken': xsrf }
      });
      if (!response.ok) {
        throw new Error(await response.text());
      }
    }, TOKEN);
    await page.notebook.createNew('gist-demo.ipynb');
    await page.notebook.save();
    await page.menu.open('File');
    const fileMenu = page.locator('.lm-Menu:visible');
    await expect(fileMenu.getByText('Share…', { exact: true })).toBeVisible();
    await expect(
      fileMenu.getByText('Shared Links', { exact: true })
    ).toBeVisible();
    const menuShot = testInfo.outputPath('file-menu.png');
    await fileMenu.screenshot({ path: menuShot });
    await testInfo.attach('file-menu', { path: menuShot });
    await fileMenu.getByText('Share…', { exact: true }).click();

    const form = page.locator('.jp-Dialog .jp-colab-ShareForm');
    const gist = form.locator('button[name="gist"]');
    await expect(gist).toBeEnabled();
    await expect(form).toContainText('nbviewer');
    await gist.click();

    // The GitHub feature asks what kind of gist, then saves it to (fake) GitHub.
    const gistDialog = page.locator('.jp-colab-GitHubGist');
    await expect(gistDialog).toBeVisible();
    await page.getByRole('button', { name: 'Save gist' }).click();

    const gists = async () =>
      (
        await (
          await request.get(`${fakeUrl}/gists`, {
            headers: { Authorization: `token ${TOKEN}` }
          })
        ).json()
      ).filter((g: any) => 'gist-demo.ipynb' in g.files);
    await expect.poll(async () => (await gists()).length).toBe(1);
    const [saved] = await gists();
    const result = page.locator('.jp-Dialog .jp-colab-ShareLink');
    await expect(result).toContainText(saved.html_url);
    await expect(result.getByRole('link').first()).toHaveAttribute(
      'href',
      new RegExp(`nbviewer.org/gist/.*${saved.id}`)
    );
    const shot = testInfo.outputPath('gist-result.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: shot });
    await testInfo.attach('gist-result', { path: shot });
    await page.getByRole('button', { name: 'Done' }).click();
  });
});
