import { expect, test } from '@jupyterlab/galata';
import { openNewNotebook, waitForSession } from './support/sessions';

/** What the server itself reports, read straight from the route the dialog uses. */
async function serverFacts(request: any, baseURL: string | undefined) {
  const response = await request.get(`${baseURL}/colab/runtime/about`);
  expect(response.ok()).toBeTruthy();
  return response.json();
}

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
