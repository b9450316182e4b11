import { expect, test } from '@jupyterlab/galata';
import { openNewNotebook, waitForSession } from './support/sessions';

/** What the server itself reports, read straight from the route the dialog uses. */
async function serverFacts(request: any, baseURL: string | undefined) {
  const response = await request.get(`${baseURL}/colab/runtime/about`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

/** A short window (a laptop with the browser zoomed in): shorter than JupyterLab's dialogs. */
const WINDOW_HEIGHT = 360;

test.describe('Runtime menu', () => {
  test('About this runtime shows what the server reports', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    // A running notebook, so the dialog has a kernel to list.
    await openNewNotebook(page, tmpPath, 'about-runtime.ipynb');
    await page.notebook.setCell(0, 'code', 'import sys; print(sys.version)');
    await page.notebook.run();
    // The dialog is a snapshot: open it once the server's session carries the notebook's name.
    await waitForSession(request, baseURL, 'about-runtime.ipynb');

    await page.menu.clickMenuItem('Runtime>About this runtime');
    const dialog = page.locator('.jp-Dialog .jp-colab-AboutRuntime');
    await expect(dialog).toBeVisible();

    const facts = await serverFacts(request, baseURL);
    const fact = (key: string) => dialog.locator(`[data-fact="${key}"]`);
    await expect(fact('python_version')).toHaveText(facts.python_version);
    await expect(fact('jupyterlab_version')).toHaveText(
      facts.jupyterlab_version
    );
    await expect(fact('os')).toHaveText(facts.os);
    await expect(fact('cpu_count')).toContainText(String(facts.cpu_count));
    await expect(fact('memory_total_bytes')).toContainText('iB');
    if (facts.gpu.driver_present) {
      await expect(fact('gpu')).toContainText(String(facts.gpu.gpu_count));
    } else {
      await expect(fact('gpu')).toHaveText(facts.gpu.problem);
    }
    const kernelRow = dialog.locator(
      '.jp-colab-AboutRuntime-kernels tbody tr',
      {
        hasText: 'about-runtime.ipynb'
      }
    );
    await expect(kernelRow).toHaveCount(1);

    const shot = testInfo.outputPath('about-runtime.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: shot });
    await testInfo.attach('about-runtime', { path: shot });

    await page.getByRole('button', { name: 'Close' }).click();
    await expect(dialog).toHaveCount(0);

    // The same dialog in the dark theme: every colour comes from JupyterLab's variables.
    await page.theme.setDarkTheme();
    await page.menu.clickMenuItem('Runtime>About this runtime');
    await expect(dialog).toBeVisible();
    const dark = testInfo.outputPath('about-runtime-dark.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: dark });
    await testInfo.attach('about-runtime-dark', { path: dark });
    await page.getByRole('button', { name: 'Close' }).click();
    await page.theme.setLightTheme();
  });

  test('About this runtime shows its running kernels, scrolling in a short window (#16)', async ({
    page,
    request,
    baseURL
  }, testInfo) => {
    const started: string[] = [];
    try {
      for (let i = 0; i < 4; i++) {
        const response = await request.post(`${baseURL}/api/kernels`, {
          data: { name: 'python3' }
        });
        expect(response.ok()).toBeTruthy();
        started.push((await response.json()).id);
      }
      const content = page.locator('.jp-Dialog-content');
      const body = content.locator('.jp-Dialog-body');
      const rows = body.locator('.jp-colab-AboutRuntime-kernels tbody tr');
      /** Whether `row` lies within what the dialog's body shows now. */
      const shown = async (row: typeof rows) => {
        const box = (await row.boundingBox())!;
        const frame = (await body.boundingBox())!;
        return (
          box.y >= frame.y - 1 &&
          box.y + box.height <= frame.y + frame.height + 1
        );
      };

      // A usual window: the dialog is as tall as it allows, the kernels in view, no scrolling.
      await page.menu.clickMenuItem('Runtime>About this runtime');
      await expect(rows.nth(started.length - 1)).toBeAttached();
      expect(await body.evaluate(node => node.scrollTop)).toBe(0);
      await expect(body.getByText(/Running kernels \(\d+\)/)).toBeInViewport();
      expect(await shown(rows.first())).toBe(true);
      const usual = testInfo.outputPath('about-runtime-kernels.png');
      await content.screenshot({ path: usual });
      await testInfo.attach('about-runtime-kernels', { path: usual });
      await page.getByRole('button', { name: 'Close' }).click();

      // A short window: the dialog fits it, Close stays in view, and the body scrolls to the
      // last kernel, with the wheel as a user does.
      await page.setViewportSize({ width: 1024, height: WINDOW_HEIGHT });
      await page.menu.clickMenuItem('Runtime>About this runtime');
      await expect(rows.nth(started.length - 1)).toBeAttached();
      const dialogBox = (await content.boundingBox())!;
      expect(dialogBox.y).toBeGreaterThanOrEqual(0);
      expect(dialogBox.y + dialogBox.height).toBeLessThanOrEqual(WINDOW_HEIGHT);
      await expect(page.getByRole('button', { name: 'Close' })).toBeInViewport({
        ratio: 1
      });
      const last = rows.last();
      expect(await shown(last)).toBe(false);
      const bodyBox = (await body.boundingBox())!;
      await page.mouse.move(
        bodyBox.x + bodyBox.width / 2,
        bodyBox.y + bodyBox.height / 2
      );
      await page.mouse.wheel(0, 3000);
      await expect.poll(() => shown(last)).toBe(true);
      await expect(last).toBeInViewport({ ratio: 1 });

      const shot = testInfo.outputPath('about-runtime-scrolled.png');
      await page.screenshot({ path: shot });
      await testInfo.attach('about-runtime-scrolled', { path: shot });
      await page.theme.setDarkTheme();
      await expect(last).toBeInViewport({ ratio: 1 });
      const dark = testInfo.outputPath('about-runtime-scrolled-dark.png');
      await page.screenshot({ path: dark });
      await testInfo.attach('about-runtime-scrolled-dark', { path: dark });
      await page.getByRole('button', { name: 'Close' }).click();
      await page.theme.setLightTheme();
    } finally {
      for (const id of started) {
        await request.delete(`${baseURL}/api/kernels/${id}`);
      }
    }
  });

  test('the Runtime menu sits in the menu bar with its items', async ({
    page
  }) => {
    await page.menu.open('Runtime');
    const menu = page.locator('.lm-Menu:visible');
    await expect(
      menu.getByText('About this runtime', { exact: true })
    ).toBeVisible();
    await expect(
      menu.getByText('Interrupt Kernel', { exact: true })
    ).toBeVisible();
  });
});
