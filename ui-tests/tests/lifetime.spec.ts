import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import { readmeScreenshot } from './support/screenshots';

/**
 * Runtime lifetime, said before it bites. The Galata server (jupyter_server_test_config.py) culls
 * kernels idle for 60 min, connected or not, and has an admin type 'cpu-short' that lives 45 s,
 * warned 40 s before, extendable once: this spec is the only one to open it.
 */

test.describe('Runtime lifetime', () => {
  test.afterEach(async ({ request, baseURL }) => {
    const sessions = await (
      await request.get(`${baseURL}/api/sessions`)
    ).json();
    for (const session of sessions) {
      await request.delete(`${baseURL}/api/sessions/${session.id}`);
    }
  });

  test('uptime and idle shutdown shown, the lifetime warned about and kept', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)' },
        colab_ext: { runtime_type: 'cpu-short' }
      },
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          execution_count: null,
          outputs: [],
          source: 'x = 1'
        }
      ]
    };
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      `${tmpPath}/short.ipynb`
    );
    await page.notebook.open('short.ipynb');
    await page.notebook.activate('short.ipynb');

    // The status bar says the soonest shutdown (the 45 s lifetime), its tooltip every one in
    // full. (Its words leave out "idle": Galata waits for kernels on "Idle" in the status bar.)
    const lifetime = page.locator('.jp-colab-RuntimeLifetimeStatus');
    await expect(lifetime).toHaveText(/^up \d+ s · ends in \d+ s$/, {
      timeout: 20000
    });
    await expect(lifetime).toHaveAttribute('title', /idle shutdown in 60 min/);

    // 40 s before the end of its 45 s: a warning with Keep running.
    const warning = page.locator('.Toastify__toast', {
      hasText: 'reaches its maximum lifetime'
    });
    await expect(warning).toBeVisible({ timeout: 20000 });
    const keep = warning.getByRole('button', { name: 'Keep running' });
    await expect(keep).toBeVisible();
    const toast = testInfo.outputPath('lifetime-warning.png');
    await warning.screenshot({ path: toast });
    await testInfo.attach('lifetime-warning', { path: toast });

    // The About dialog says the same of this notebook's kernel.
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      if (theme === 'light') {
        await lifetime.click(); // the item opens About this runtime
      } else {
        await page.menu.clickMenuItem('Runtime>About this runtime');
      }
      const about = page.locator('.jp-Dialog .jp-colab-AboutRuntime');
      await expect(about).toBeVisible();
      await expect(
        about.locator('[data-fact="lifetime_uptime"]')
      ).toContainText(/ s|min/);
      await expect(about.locator('[data-fact="lifetime_idle"]')).toContainText(
        'min'
      );
      await expect(about.locator('[data-fact="lifetime_end"]')).toContainText(
        ' s'
      );
      const shot = testInfo.outputPath(`lifetime-${theme}.png`);
      await page.screenshot({ path: shot });
      await testInfo.attach(`lifetime-${theme}`, { path: shot });
      const readme = readmeScreenshot(`lifetime-${theme}.png`);
      if (readme) {
        fs.copyFileSync(shot, readme);
      }
      const item = testInfo.outputPath(`lifetime-status-${theme}.png`);
      await page.locator('#jp-main-statusbar').screenshot({ path: item });
      await testInfo.attach(`lifetime-status-${theme}`, { path: item });
      await page.getByRole('button', { name: 'Close' }).click();
      await expect(about).toHaveCount(0);
    }
    await page.theme.setLightTheme();

    // Keep running extends the 45 s once: the warning goes, the end moves past it.
    await keep.click();
    await expect(warning).toHaveCount(0);
    const sessions = await (
      await request.get(`${baseURL}/api/sessions`)
    ).json();
    const kernelId = sessions.find((s: { path: string }) =>
      s.path.endsWith('short.ipynb')
    ).kernel.id;
    const view = await (
      await request.get(`${baseURL}/colab/runtime/kernels/${kernelId}/lifetime`)
    ).json();
    expect(view.type).toBe('cpu-short');
    expect(view.extended).toBe(true);
    expect(view.lifetime_ends_in_s).toBeGreaterThan(40);
    await expect(lifetime).toHaveText(/^up \d+ s · ends in \d+ s$/);
  });
});
