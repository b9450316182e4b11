import {
  expect,
  galata,
  IJupyterLabPageFixture,
  test
} from '@jupyterlab/galata';
import { ChildProcess, spawn } from 'child_process';
import * as path from 'path';

/**
 * GitHub, as a user does it: connect with a token, save a copy and see the commit on "GitHub",
 * export a gist (also through the command the share-links feature uses), open from a URL and by
 * browsing. "GitHub" is the fake from tests/github/fake_github.py, which the test server is
 * pointed at by jupyter_server_test_config.py.
 */
const uiPort = Number(process.env.COLAB_EXT_UI_PORT || '8888');
const fakePort = Number(
  process.env.COLAB_EXT_FAKE_GITHUB_PORT || String(uiPort + 1000)
);
const fakeUrl = `http://127.0.0.1:${fakePort}`;
const TOKEN = 'ghp_galata_0123456789';
const auth = { Authorization: `token ${TOKEN}` };

let fake: ChildProcess;

test.describe.configure({ mode: 'serial' });

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
          return (
            await request.get(`${fakeUrl}/user`, { headers: auth })
          ).status();
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

async function shoot(
  page: IJupyterLabPageFixture,
  testInfo: any,
  name: string
): Promise<void> {
  const file = testInfo.outputPath(`${name}.png`);
  await page.locator('.jp-Dialog-content').screenshot({ path: file });
  await testInfo.attach(name, { path: file });
}

/** Connect through the server's route (as the dialog does), for tests after the first. */
async function connectQuietly(page: IJupyterLabPageFixture): Promise<void> {
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
}

/** Start disconnected, whatever an earlier test (or attempt) left behind. */
async function disconnectQuietly(page: IJupyterLabPageFixture): Promise<void> {
  await page.evaluate(async () => {
    const xsrf = /_xsrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
    await fetch('/colab/github/account', {
      method: 'DELETE',
      headers: { 'X-XSRFToken': xsrf }
    });
  });
}

test('connect with a token and save a copy in GitHub', async ({
  page,
  request,
  baseURL,
  tmpPath
}, testInfo) => {
  await disconnectQuietly(page);
  await page.notebook.createNew('gh-save.ipynb');
  await page.notebook.setCell(0, 'code', 'print("saved from JupyterLab")');
  await page.notebook.save();

  await page.menu.clickMenuItem('File>GitHub Account…');
  const token = page.locator('.jp-colab-GitHubAccount input[type="password"]');
  await expect(token).toBeVisible();
  await token.fill(TOKEN);
  await shoot(page, testInfo, 'github-connect');
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(page.getByText('Connected to GitHub as octo.')).toBeVisible();

  await page.menu.clickMenuItem('File>Save a Copy in GitHub…');
  const dialog = page.locator('.jp-colab-GitHubSave');
  await expect(dialog).toBeVisible();
  const field = (label: string) =>
    dialog.locator('label.jp-colab-GitHub-field').filter({
      has: page.locator('.jp-colab-GitHub-label', {
        hasText: new RegExp(`^${label}$`)
      })
    });
  await expect(field('Repository').locator('input')).toHaveValue(
    'octo/notebooks'
  );
  await expect(field('Branch').locator('select')).toHaveValue('main');
  await field('Path in the repository')
    .locator('input')
    .fill('galata/gh-save.ipynb');
  await field('Commit message').locator('textarea').fill('Saved from Galata');
  await dialog.getByText('Add an "Open in Colab" badge').click();
  await shoot(page, testInfo, 'github-save-copy');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(
    page.getByText('Saved galata/gh-save.ipynb to octo/notebooks (main).')
  ).toBeVisible({ timeout: 20000 });
  // Each button of the notification names the page it opens (#16: "Commit" read like an action).
  const toast = page.locator('.Toastify__toast', {
    hasText: 'Saved galata/gh-save.ipynb'
  });
  const buttons = toast.locator('.jp-toast-button');
  await expect(buttons).toHaveText(['View file', 'View commit']);
  await expect(buttons.last()).toHaveAttribute(
    'title',
    'Open the commit on GitHub'
  );
  const toastShot = testInfo.outputPath('github-saved-notification.png');
  await toast.screenshot({ path: toastShot });
  await testInfo.attach('github-saved-notification', { path: toastShot });
  // The fake answers with github.com links: the opened tab is answered here, not online.
  await page
    .context()
    .route('https://github.com/**', route =>
      route.fulfill({ contentType: 'text/html', body: '<title>commit</title>' })
    );
  const [commitPage] = await Promise.all([
    page.context().waitForEvent('page'),
    toast.getByRole('button', { name: 'View commit' }).click()
  ]);
  await expect
    .poll(() => commitPage.url())
    .toMatch(/^https:\/\/github\.com\/octo\/notebooks\/commit\/[0-9a-f]+$/);
  await commitPage.close();

  // The commit is on "GitHub", with the notebook and its badge.
  const commits = await (
    await request.get(`${fakeUrl}/repos/octo/notebooks/commits?sha=main`, {
      headers: auth
    })
  ).json();
  expect(commits[0].commit.message).toBe('Saved from Galata');
  const file = await (
    await request.get(
      `${fakeUrl}/repos/octo/notebooks/contents/galata/gh-save.ipynb?ref=main`,
      { headers: auth }
    )
  ).json();
  const saved = Buffer.from(file.content, 'base64').toString();
  expect(saved).toContain('saved from JupyterLab');
  expect(saved).toContain('Open In Colab');

  // The notebook remembers where it was saved (and the blob it saved), for the next save.
  const local = await (
    await request.get(`${baseURL}/api/contents/${tmpPath}/gh-save.ipynb`)
  ).json();
  expect(local.content.metadata.colab_ext.github.file).toMatchObject({
    repo: 'notebooks',
    path: 'galata/gh-save.ipynb',
    sha: file.sha
  });
});

test('export a gist, then update the same gist through the command', async ({
  page,
  request,
  tmpPath
}, testInfo) => {
  await connectQuietly(page);
  await page.notebook.createNew('gh-gist.ipynb');
  await page.notebook.setCell(0, 'code', '21 * 2');
  await page.notebook.save();

  await page.menu.clickMenuItem('File>Save a Copy as a GitHub Gist…');
  const dialog = page.locator('.jp-colab-GitHubGist');
  await expect(dialog).toBeVisible();
  await dialog.getByText('Public (listed on your profile)').click();
  await shoot(page, testInfo, 'github-gist');
  await page.getByRole('button', { name: 'Save gist' }).click();
  await expect(page.getByText('Created a gist of gh-gist.ipynb.')).toBeVisible({
    timeout: 20000
  });

  // The share-links feature runs the same command with a path and reads the links.
  const links = page.evaluate(
    path =>
      (window as any).jupyterapp.commands.execute(
        'colab-ext:github-save-gist',
        {
          path
        }
      ),
    `${tmpPath}/gh-gist.ipynb`
  );
  await expect(dialog.getByText('Saving updates your gist')).toBeVisible();
  await shoot(page, testInfo, 'github-gist-update');
  await page.getByRole('button', { name: 'Save gist' }).click();
  const { html_url, nbviewer_url } = await links;
  const gists = await (
    await request.get(`${fakeUrl}/gists`, { headers: auth })
  ).json();
  const ours = gists.filter((g: any) => 'gh-gist.ipynb' in g.files);
  expect(ours).toHaveLength(1);
  expect(html_url).toBe(ours[0].html_url);
  expect(nbviewer_url).toBe(`https://nbviewer.org/gist/octo/${ours[0].id}`);
  expect(ours[0].public).toBe(true);
  const full = await (
    await request.get(`${fakeUrl}/gists/${ours[0].id}`, { headers: auth })
  ).json();
  expect(full.history).toHaveLength(1); // same content: GitHub makes no new revision
});

test('open from a GitHub URL and by browsing', async ({ page }, testInfo) => {
  await connectQuietly(page);
  await page.menu.clickMenuItem('File>Open from GitHub…');
  const dialog = page.locator('.jp-colab-GitHubOpen');
  await expect(dialog).toBeVisible();
  await dialog
    .locator('label', { hasText: 'GitHub URL' })
    .locator('input')
    .fill('https://github.com/octo/notebooks/blob/main/analysis.ipynb');
  await shoot(page, testInfo, 'github-open-url');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(page.getByRole('tab', { name: 'analysis.ipynb' })).toBeVisible({
    timeout: 20000
  });
  await expect(
    page.locator('.jp-Cell .jp-InputArea-editor').first()
  ).toContainText("print('from the fake GitHub')");

  // Browse owner > repo > branch > notebook, in the dark theme.
  await page.theme.setDarkTheme();
  await page.menu.clickMenuItem('File>Open from GitHub…');
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'List repositories' }).click();
  await expect(dialog.locator('select').first()).toHaveValue('notebooks');
  const entry = dialog.locator('.jp-colab-GitHub-entry', {
    hasText: 'analysis.ipynb'
  });
  await entry.click();
  await expect(entry).toHaveClass(/jp-mod-selected/);
  await shoot(page, testInfo, 'github-open-browse-dark');
  await page.getByRole('button', { name: 'Open', exact: true }).click();
  await expect(
    page.getByRole('tab', { name: 'analysis-1.ipynb' })
  ).toBeVisible();
  await page.theme.setLightTheme();
});

void galata;

test('a file changed on GitHub is a conflict: another path, then a pull request', async ({
  page,
  request
}, testInfo) => {
  await connectQuietly(page);
  await page.notebook.createNew('gh-conflict.ipynb');
  await page.notebook.setCell(0, 'code', '"mine"');
  await page.notebook.save();

  const saveTo = async (path: string) => {
    await page.menu.clickMenuItem('File>Save a Copy in GitHub…');
    const dialog = page.locator('.jp-colab-GitHubSave');
    await expect(dialog.locator('select')).toHaveValue('main');
    await dialog
      .getByRole('textbox', { name: 'Path in the repository' })
      .fill(path);
    await page.getByRole('button', { name: 'Save', exact: true }).click();
  };
  await saveTo('shared/conflict.ipynb');
  await expect(page.getByText('Saved shared/conflict.ipynb')).toBeVisible({
    timeout: 20000
  });

  // Someone else changes the file on GitHub.
  const url = `${fakeUrl}/repos/octo/notebooks/contents/shared/conflict.ipynb`;
  const current = await (await request.get(url, { headers: auth })).json();
  const theirs = await request.put(url, {
    headers: auth,
    data: {
      message: 'Their change',
      content: Buffer.from(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}'
      ).toString('base64'),
      sha: current.sha,
      branch: 'main'
    }
  });
  expect(theirs.ok()).toBeTruthy();

  await page.notebook.setCell(0, 'code', '"mine, edited"');
  await page.notebook.save();
  await page.menu.clickMenuItem('File>Save a Copy in GitHub…');
  await expect(page.locator('.jp-colab-GitHubSave select')).toHaveValue('main');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  const conflict = page.locator('.jp-Dialog', {
    hasText: 'The file changed on GitHub'
  });
  await expect(conflict).toBeVisible({ timeout: 20000 });
  await expect(conflict).toContainText('changed on GitHub since this notebook');
  await shoot(page, testInfo, 'github-conflict');

  // First choice: back to the form, with another path suggested.
  await conflict
    .getByRole('button', { name: 'Save under another path' })
    .click();
  await expect(
    page
      .locator('.jp-colab-GitHubSave')
      .getByRole('textbox', { name: 'Path in the repository' })
  ).toHaveValue('shared/conflict-copy.ipynb');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByText('Saved shared/conflict-copy.ipynb')).toBeVisible({
    timeout: 20000
  });
  const copy = await request.get(
    `${fakeUrl}/repos/octo/notebooks/contents/shared/conflict-copy.ipynb`,
    { headers: auth }
  );
  expect(copy.ok()).toBeTruthy();

  // Second choice, saving over their file again: a pull request.
  await saveTo('shared/conflict.ipynb');
  await expect(conflict).toContainText('already exists on main', {
    timeout: 20000
  });
  await conflict.getByRole('button', { name: 'Open a pull request' }).click();
  await expect(
    page.getByText('Opened a pull request on octo/notebooks.')
  ).toBeVisible({ timeout: 20000 });
  await expect(
    page
      .locator('.Toastify__toast', { hasText: 'Opened a pull request' })
      .locator('.jp-toast-button')
  ).toHaveText(['View pull request', 'View commit']);

  // Their change is still on main; ours waits in a pull request.
  const main = await (await request.get(url, { headers: auth })).json();
  expect(main.sha).not.toBe(current.sha);
  expect(Buffer.from(main.content, 'base64').toString()).not.toContain('mine');
  const pulls = await (
    await request.get(`${fakeUrl}/repos/octo/notebooks/pulls`, {
      headers: auth
    })
  ).json();
  expect(pulls).toHaveLength(1);
  expect(pulls[0].base.ref).toBe('main');
});

test('connect through the device flow', async ({ page }, testInfo) => {
  await disconnectQuietly(page);
  await page.menu.clickMenuItem('File>GitHub Account…');
  const dialog = page.locator('.jp-colab-GitHubAccount');
  await dialog
    .getByRole('button', { name: 'Sign in on GitHub with a code instead' })
    .click();
  await expect(dialog.locator('.jp-colab-GitHub-code')).toHaveText('WDJB-MJHT');
  await shoot(page, testInfo, 'github-device-code');

  // The user enters the code on GitHub and approves; the server notices by itself.
  const approved = await page.request.post(`${fakeUrl}/_fake/device/approve`);
  expect(approved.status()).toBe(204);
  await expect(dialog).toContainText('Connected to GitHub as octo', {
    timeout: 20000
  });
  await page.getByRole('button', { name: 'Connect', exact: true }).click();
  await expect(dialog).toHaveCount(0);
});
