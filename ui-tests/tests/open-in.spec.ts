import { expect, test } from '@jupyterlab/galata';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

/**
 * Open-in links end to end: a `colab/open/github/...` link shows its confirmation page, opening
 * copies the notebook from the fake GitHub (tests/github/fake_github.py, where
 * jupyter_server_test_config.py points the server) into the chosen folder and opens it in
 * JupyterLab, without running it; File > Copy Open-in Link… gives the same link and its badges.
 */
const uiPort = Number(process.env.COLAB_EXT_UI_PORT || '8888');
const fakePort = Number(
  process.env.COLAB_EXT_FAKE_GITHUB_PORT || String(uiPort + 1000)
);
const fakeUrl = `http://127.0.0.1:${fakePort}`;
const TOKEN = 'ghp_galata_0123456789';
const LINK = 'colab/open/github/octo/notebooks/blob/main/analysis.ipynb';

let fake: ChildProcess;

test.beforeAll(async ({ request }) => {
  const script = path.resolve(__dirname, '../../tests/github/fake_github.py');
  fake = spawn(
    process.env.PYTHON || 'python3',
    [script, '--port', String(fakePort), '--token', TOKEN],
    { stdio: 'inherit' }
  );
  await expect
    .poll(
      async () => {
        try {
          const answer = await request.get(`${fakeUrl}/user`, {
            headers: { Authorization: `token ${TOKEN}` }
          });
          return answer.status();
        } catch {
          return 0;
        }
      },
      { timeout: 20000 }
    )
    .toBe(200);
});

test.afterAll(() => {
  fake?.kill();
});

test('an open-in link opens the notebook from GitHub, and the menu copies it back', async ({
  page,
  baseURL,
  tmpPath
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

  // The link only asks: nothing is fetched until the user confirms.
  // (galata's page.goto waits for JupyterLab, which this page is not).
  await page.evaluate(url => window.location.assign(url), `${baseURL}/${LINK}`);
  await page.waitForURL(`**/${LINK}`);
  await expect(page.locator('h1')).toHaveText('Open notebook');
  await expect(page.locator('code')).toContainText(
    'octo/notebooks, main/analysis.ipynb'
  );
  await page.locator('#folder').fill(`${tmpPath}/from-links`);
  const confirm = testInfo.outputPath('open-in-confirm.png');
  await page.screenshot({ path: confirm });
  await testInfo.attach('open-in-confirm', { path: confirm });
  await page.locator('#open').click();

  await page.waitForURL(`**/lab/tree/${tmpPath}/from-links/analysis.ipynb`);
  await expect(page.getByRole('tab', { name: 'analysis.ipynb' })).toBeVisible({
    timeout: 30000
  });
  await expect(
    page.locator('.jp-Cell .jp-InputArea-editor').first()
  ).toContainText("print('from the fake GitHub')");
  // Opened, never run.
  await expect(page.locator('.jp-OutputArea-output')).toHaveCount(0);
  await expect(page.locator('.jp-InputPrompt').first()).toHaveText('[ ]:');

  await page.getByRole('tab', { name: 'analysis.ipynb' }).click();
  await page.menu.clickMenuItem('File>Copy Open-in Link…');
  const dialog = page.locator('.jp-colab-OpenLink');
  await expect(dialog).toBeVisible();
  const snippets = dialog.locator('textarea');
  await expect(snippets.nth(0)).toHaveValue(`${baseURL}/${LINK}`);
  await expect(snippets.nth(1)).toHaveValue(
    new RegExp(
      `^\\[!\\[Open in JupyterLab\\]\\(.+\\)\\]\\(${baseURL}/${LINK}\\)$`
    )
  );
  await expect(snippets.nth(2)).toHaveValue(
    new RegExp(`href="${baseURL}/${LINK}"`)
  );
  const shot = testInfo.outputPath('open-in-copy-link.png');
  await page.locator('.jp-Dialog-content').screenshot({ path: shot });
  await testInfo.attach('open-in-copy-link', { path: shot });
  await page.getByRole('button', { name: 'Done' }).click();
});
