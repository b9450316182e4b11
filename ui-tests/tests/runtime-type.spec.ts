import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

/**
 * Runtime > Change runtime type, as a user does it. The Galata server runs with the stand-in
 * NVIDIA driver (COLAB_EXT_UI_NVML_GPUS, see playwright.config.js): an H100 and an A100.
 */

const PRINT_DEVICES =
  "import os; print('CUDA_VISIBLE_DEVICES=' + repr(os.environ.get('CUDA_VISIBLE_DEVICES')))";

async function gpuUuids(request: any, baseURL: string | undefined) {
  const response = await request.get(`${baseURL}/colab/runtime/types`);
  expect(response.ok()).toBeTruthy();
  const body = await response.json();
  return body.gpus.map((gpu: { uuid: string }) => gpu.uuid) as string[];
}

async function runAndRead(page: IJupyterLabPageFixture): Promise<string> {
  await page.notebook.runCell(0);
  const output = page.locator('.jp-OutputArea-output').first();
  await expect(output).toContainText('CUDA_VISIBLE_DEVICES=');
  return (await output.textContent()) ?? '';
}

async function shutDownSessions(request: any, baseURL: string | undefined) {
  const sessions = await (await request.get(`${baseURL}/api/sessions`)).json();
  for (const session of sessions) {
    await request.delete(`${baseURL}/api/sessions/${session.id}`);
  }
}

test.describe('Change runtime type', () => {
  test.afterEach(async ({ request, baseURL }) => {
    await shutDownSessions(request, baseURL);
  });

  test('switch to a GPU, run code on it, and keep it after reopening', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    const uuids = await gpuUuids(request, baseURL);
    expect(uuids.length).toBe(2);
    await page.notebook.createNew('gpu-switch.ipynb');
    await page.notebook.setCell(0, 'code', PRINT_DEVICES);
    expect(await runAndRead(page)).toContain('CUDA_VISIBLE_DEVICES=None');
    const status = page.locator('.jp-colab-RuntimeTypeStatus');
    await expect(status).toHaveText('Server default');

    await page.menu.clickMenuItem('Runtime>Change runtime type');
    const dialog = page.locator('.jp-Dialog .jp-colab-RuntimeType');
    await expect(dialog).toBeVisible();
    // What this server cannot give is shown disabled, with the reason.
    const tpu = dialog.locator('[data-type="tpu"]');
    await expect(tpu.locator('input')).toBeDisabled();
    await expect(tpu).toContainText('This server has no TPU');
    await dialog.locator('[data-type="gpu"]').click();
    const gpuSelect = dialog.locator('.jp-colab-RuntimeType-gpu select');
    await expect(gpuSelect).toBeVisible();
    await expect(gpuSelect.locator('option')).toHaveText([
      'Any free GPU (fewest runtimes, most free memory)',
      /#0 NVIDIA H100 80GB HBM3 · 80\.0 GiB free/,
      /#1 NVIDIA A100-SXM4-40GB · 79\.0 GiB free/
    ]);
    const shot = testInfo.outputPath('runtime-type-dialog.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: shot });
    await testInfo.attach('runtime-type-dialog', { path: shot });
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Save' })
      .click();

    // State is lost: the user confirms the restart.
    await expect(page.locator('.jp-Dialog')).toContainText(
      'Its variables, imported modules and other state are lost'
    );
    const confirm = testInfo.outputPath('runtime-type-confirm.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: confirm });
    await testInfo.attach('runtime-type-confirm', { path: confirm });
    await page.getByRole('button', { name: 'Restart as GPU' }).click();

    await expect(status).toHaveText('GPU · H100 #0', { timeout: 30000 });
    expect(await runAndRead(page)).toContain(
      `CUDA_VISIBLE_DEVICES='${uuids[0]}'`
    );
    const bar = testInfo.outputPath('runtime-type-statusbar.png');
    await page.locator('#jp-main-statusbar').screenshot({ path: bar });
    await testInfo.attach('runtime-type-statusbar', { path: bar });

    // Saved with Colab's keys; reopened with no kernel running, it starts on a GPU again.
    await page.notebook.save();
    const saved = await (
      await request.get(`${baseURL}/api/contents/${tmpPath}/gpu-switch.ipynb`)
    ).json();
    expect(saved.content.metadata.accelerator).toBe('GPU');
    expect(saved.content.metadata.colab.gpuType).toBe('H100');
    await page.notebook.close(true);
    await shutDownSessions(request, baseURL);
    await page.notebook.open('gpu-switch.ipynb');
    await expect(status).toHaveText('GPU · H100 #0', { timeout: 30000 });
    expect(await runAndRead(page)).toContain(
      `CUDA_VISIBLE_DEVICES='${uuids[0]}'`
    );

    // And back to CPU, from the notebook toolbar this time.
    await page
      .locator(
        '.jp-NotebookPanel-toolbar [data-command="colab-ext:change-runtime-type"]'
      )
      .click();
    await dialog.locator('[data-type="cpu"]').click();
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Save' })
      .click();
    await page.getByRole('button', { name: 'Restart as CPU' }).click();
    await expect(status).toHaveText('CPU', { timeout: 30000 });
    expect(await runAndRead(page)).toContain("CUDA_VISIBLE_DEVICES=''");
  });

  test('a Colab notebook that asks for a GPU opens on a GPU runtime', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    const uuids = await gpuUuids(request, baseURL);
    const notebook = {
      nbformat: 4,
      nbformat_minor: 0,
      metadata: {
        accelerator: 'GPU',
        colab: { provenance: [], gpuType: 'A100' },
        kernelspec: { name: 'python3', display_name: 'Python 3' }
      },
      cells: [
        {
          cell_type: 'code',
          metadata: {},
          execution_count: null,
          outputs: [],
          source: PRINT_DEVICES
        }
      ]
    };
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      `${tmpPath}/from-colab.ipynb`
    );
    await page.notebook.open('from-colab.ipynb');
    const status = page.locator('.jp-colab-RuntimeTypeStatus');
    // gpuType "A100": the server prefers that model when it has one free.
    await expect(status).toHaveText('GPU · A100 #1', { timeout: 30000 });
    expect(await runAndRead(page)).toContain(
      `CUDA_VISIBLE_DEVICES='${uuids[1]}'`
    );

    // The picker, in the dark theme: every colour comes from JupyterLab's variables.
    await page.theme.setDarkTheme();
    await page.menu.clickMenuItem('Runtime>Change runtime type');
    const dialog = page.locator('.jp-Dialog .jp-colab-RuntimeType');
    await expect(dialog).toBeVisible();
    await expect(dialog.locator('[data-type="gpu"] input')).toBeChecked();
    const dark = testInfo.outputPath('runtime-type-dialog-dark.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: dark });
    await testInfo.attach('runtime-type-dialog-dark', { path: dark });
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.theme.setLightTheme();
  });

  test('a kernel started without a runtime type shows as it is; Save keeps it (#16)', async ({
    page
  }, testInfo) => {
    await page.notebook.createNew('server-default.ipynb');
    await page.notebook.setCell(0, 'code', 'kept = 41');
    await page.notebook.runCell(0);
    const status = page.locator('.jp-colab-RuntimeTypeStatus');
    await expect(status).toHaveText('Server default');

    await page.menu.clickMenuItem('Runtime>Change runtime type');
    const dialog = page.locator('.jp-Dialog .jp-colab-RuntimeType');
    const serverDefault = dialog.locator('[data-type="server-default"]');
    // Not "CPU: GPUs are hidden": the kernel sees both stand-in GPUs.
    await expect(serverDefault.locator('input')).toBeChecked();
    await expect(serverDefault).toContainText('Server default');
    await expect(serverDefault).toContainText('Sees all 2 GPUs of this server');
    await expect(dialog.locator('[data-type="cpu"] input')).not.toBeChecked();
    await expect(dialog.locator('.jp-colab-RuntimeType-gpu')).toBeHidden();
    const light = testInfo.outputPath('runtime-type-server-default.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: light });
    await testInfo.attach('runtime-type-server-default', { path: light });
    await page.theme.setDarkTheme();
    await expect(serverDefault.locator('input')).toBeChecked();
    const dark = testInfo.outputPath('runtime-type-server-default-dark.png');
    await page.locator('.jp-Dialog-content').screenshot({ path: dark });
    await testInfo.attach('runtime-type-server-default-dark', { path: dark });
    await page.theme.setLightTheme();

    // Saved with nothing changed: no "Restart as CPU", and the kernel keeps its state.
    await page
      .locator('.jp-Dialog')
      .getByRole('button', { name: 'Save' })
      .click();
    await expect(page.locator('.jp-Dialog')).toHaveCount(0);
    await expect(status).toHaveText('Server default');
    await page.notebook.setCell(0, 'code', 'print(kept + 1)');
    await page.notebook.runCell(0);
    await expect(page.locator('.jp-OutputArea-output').first()).toHaveText(
      '42'
    );
  });

  test('a notebook asking for what the server lacks says so', async ({
    page,
    tmpPath
  }) => {
    const notebook = {
      nbformat: 4,
      nbformat_minor: 5,
      metadata: {
        kaggle: { accelerator: 'tpu1vmV38' },
        kernelspec: { name: 'python3', display_name: 'Python 3' }
      },
      cells: []
    };
    await page.contents.uploadContent(
      JSON.stringify(notebook),
      'text',
      `${tmpPath}/from-kaggle.ipynb`
    );
    await page.notebook.open('from-kaggle.ipynb');
    await expect(
      page.getByText(
        'asks for a TPU runtime, but its kernel runs as Server default'
      )
    ).toBeVisible({ timeout: 30000 });
    await expect(page.locator('.jp-colab-RuntimeTypeStatus')).toHaveText(
      'Server default'
    );
  });
});
