import { expect, test } from '@jupyterlab/galata';
import * as fs from 'fs';
import * as path from 'path';
import { openNewNotebook, waitForSession } from './support/sessions';

/** What the stand-in NVML driver reports (read by the server started from ui-tests/). */
const NVML_CONFIG = path.join(__dirname, '..', '.nvml-standin', 'nvml.conf');
/** What the server started with (see jupyter_server_test_config.py). */
const NVML_BASELINE = path.join(
  __dirname,
  '..',
  '.nvml-standin',
  'baseline.conf'
);
const GiB = 1024 ** 3;

const H100 =
  'gpu name=NVIDIA H100 80GB HBM3;uuid=GPU-ui-h100;mem_total=' +
  `${80 * GiB};mem_used=${12 * GiB};util=37;temp=51;power=250000;power_limit=700000`;

function driverReports(...lines: string[]): void {
  fs.writeFileSync(NVML_CONFIG, lines.join('\n') + '\n');
}

test.describe('Resources', () => {
  // Back to what the server started with, for the specs that run after this one.
  test.afterEach(() => fs.copyFileSync(NVML_BASELINE, NVML_CONFIG));

  test('status bar, panel with the notebook holding GPU memory, shut it down', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    driverReports(H100);
    const item = page.locator('.jp-colab-ResourcesStatus');
    await expect(item).toContainText('GPU 15% mem, 37% util');
    await expect(item).toContainText(/RAM \d+% · Disk \d+%/);

    // A notebook whose kernel then "allocates" 11 GiB on GPU 0.
    await openNewNotebook(page, tmpPath, 'gpu-holder.ipynb');
    await page.notebook.setCell(0, 'code', 'import os; print(os.getpid())');
    await page.notebook.run();
    const pid = (await page.notebook.getCellTextOutput(0))![0].trim();
    expect(pid).toMatch(/^\d+$/);
    driverReports(H100, `proc 0 ${pid} ${11 * GiB}`);
    await waitForSession(request, baseURL, 'gpu-holder.ipynb');

    await item.click();
    const panel = page.locator('#colab-ext-resources');
    await expect(panel).toBeVisible();
    const card = panel.locator('.jp-colab-GpuCard[data-gpu="0"]');
    await expect(card).toContainText('NVIDIA H100 80GB HBM3');
    await expect(card.locator('[data-figure="utilization"]')).toContainText(
      '37%'
    );
    await expect(card.locator('[data-figure="temperature"]')).toContainText(
      '51 °C'
    );
    await expect(card.locator('[data-figure="power"]')).toContainText(
      '250 / 700 W'
    );
    // The stand-in, like older drivers, has no PCIe counters: said, not blank.
    await expect(card.locator('[data-figure="pcie"]')).toContainText('n/a');
    const row = panel.locator('li[data-notebook$="gpu-holder.ipynb"]');
    await expect(row).toContainText('11.0 GiB');
    await expect(
      panel.locator('.jp-colab-Sparkline polyline').first()
    ).toBeAttached();

    const light = testInfo.outputPath('resources-panel-light.png');
    await panel.screenshot({ path: light });
    await testInfo.attach('resources-panel-light', { path: light });
    const bar = testInfo.outputPath('resources-statusbar-light.png');
    await page.locator('#jp-main-statusbar').screenshot({ path: bar });
    await testInfo.attach('resources-statusbar-light', { path: bar });

    await page.theme.setDarkTheme();
    await expect(panel).toBeVisible();
    const dark = testInfo.outputPath('resources-panel-dark.png');
    await panel.screenshot({ path: dark });
    await testInfo.attach('resources-panel-dark', { path: dark });
    const darkBar = testInfo.outputPath('resources-statusbar-dark.png');
    await page.locator('#jp-main-statusbar').screenshot({ path: darkBar });
    await testInfo.attach('resources-statusbar-dark', { path: darkBar });
    await page.theme.setLightTheme();

    // Free the GPU from the panel: confirm, and the kernel is gone.
    await row.getByRole('button', { name: /Shut down the kernel of/ }).click();
    const dialog = page.locator('.jp-Dialog');
    await expect(dialog).toContainText('gpu-holder.ipynb');
    await dialog.getByRole('button', { name: 'Shut down' }).click();
    await expect(row).toHaveCount(0);
    const kernels = await (await request.get(`${baseURL}/api/kernels`)).json();
    expect(kernels).toEqual([]);
  });

  test('eight GPUs read as one short figure; JupyterLab keeps its own items (#16)', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    driverReports(
      ...Array.from(
        { length: 8 },
        (_, i) =>
          `gpu name=NVIDIA H100 80GB HBM3;uuid=GPU-ui-h100-${i};mem_total=${80 * GiB};` +
          `mem_used=${(i + 1) * 4 * GiB};util=${i * 10};temp=50;power=200000;power_limit=700000`
      )
    );
    // A notebook, so that JupyterLab's notebook items (kernel, mode, cursor) are on the bar too.
    await openNewNotebook(page, tmpPath, 'eight-gpus.ipynb');
    const item = page.locator('.jp-colab-ResourcesStatus');
    await expect(item).toHaveAttribute('title', /GPU 7 NVIDIA H100/);
    const box = (await item.boundingBox())!;
    expect(box.width).toBeLessThanOrEqual(360);
    await expect(item).toContainText('8 GPUs 23% mem, 35% util');
    await expect(item).toHaveAttribute(
      'title',
      /8 GPUs: 144\.0 \/ 640\.0 GiB; busiest: GPU 7, 70% busy/
    );
    // A laptop's window: the whole summary shows, uncut.
    await page.setViewportSize({ width: 1280, height: 720 });
    await expect
      .poll(() => item.evaluate(node => node.scrollWidth <= node.clientWidth))
      .toBe(true);
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const bar = testInfo.outputPath(
        `resources-statusbar-8-gpus-${theme}.png`
      );
      await page.locator('#jp-main-statusbar').screenshot({ path: bar });
      await testInfo.attach(`resources-statusbar-8-gpus-${theme}`, {
        path: bar
      });
    }
    await page.theme.setLightTheme();
    // Narrower (Galata's 1024 px), this item gives way: JupyterLab's own items all stay in view.
    await page.setViewportSize({ width: 1024, height: 768 });
    const narrow = testInfo.outputPath('resources-statusbar-8-gpus-narrow.png');
    await page.locator('#jp-main-statusbar').screenshot({ path: narrow });
    await testInfo.attach('resources-statusbar-8-gpus-narrow', {
      path: narrow
    });
    const own = page
      .locator('#jp-main-statusbar .jp-StatusBar-Item')
      .filter({ hasNot: page.locator('[class*="jp-colab-"]') });
    await expect(
      own.filter({ hasText: /Python 3 \(ipykernel\)/ }).first()
    ).toBeInViewport({ ratio: 1 });
    let checked = 0;
    for (const other of await own.all()) {
      if (await other.isVisible()) {
        await expect(other).toBeInViewport({ ratio: 1 });
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(3);

    // The details are in the panel: one card per GPU.
    await item.click();
    await expect(
      page.locator('#colab-ext-resources .jp-colab-GpuCard')
    ).toHaveCount(8);
    await page.notebook.close(true);
    const sessions = await (
      await request.get(`${baseURL}/api/sessions`)
    ).json();
    for (const session of sessions) {
      await request.delete(`${baseURL}/api/sessions/${session.id}`);
    }
  });

  test('View resources in the Runtime menu; a lost GPU is said, not blank', async ({
    page
  }, testInfo) => {
    driverReports(H100, 'fail nvmlDeviceGetCount_v2 15');
    await page.menu.clickMenuItem('Runtime>View resources');
    const panel = page.locator('#colab-ext-resources');
    await expect(panel.locator('.jp-colab-Resources-gpuState')).toContainText(
      'The NVIDIA driver failed to answer: GPU is lost.'
    );
    await expect(panel.locator('[data-figure="ram"]')).toContainText('iB');
    const shot = testInfo.outputPath('resources-panel-lost-gpu.png');
    await panel.screenshot({ path: shot });
    await testInfo.attach('resources-panel-lost-gpu', { path: shot });
    await expect(page.locator('.jp-colab-ResourcesStatus')).toContainText(
      /RAM \d+%/
    );
    // The open panel comes back after a reload, as JupyterLab's own sidebars do, once the
    // layout is saved (debounced) with it.
    const layout = () =>
      page.evaluate(async () =>
        JSON.stringify(
          await (window as any).jupyterapp.serviceManager.workspaces.fetch(
            'lab'
          )
        )
      );
    await expect
      .poll(layout)
      .toContain('"current":"colab-ext-resources:panel"');
    await page.reload();
    await expect(panel.locator('.jp-colab-Resources-gpuState')).toContainText(
      'GPU is lost.'
    );
  });

  test('a GPU in MIG mode lists its instances, utilisation said unavailable', async ({
    page
  }, testInfo) => {
    driverReports(
      'gpu name=NVIDIA A100-SXM4-80GB;uuid=GPU-ui-a100;mig=1;' +
        `mem_total=${80 * GiB};mem_used=${26 * GiB};temp=44;power=90000;power_limit=400000`,
      'mig gpu=0;name=NVIDIA A100-SXM4-80GB MIG 3g.40gb;' +
        `uuid=MIG-5c1e2b1a-0000-4000-8000-00000000a001;mem_total=${40 * GiB};` +
        `mem_used=${21 * GiB};gi=1;ci=0`,
      'mig gpu=0;slot=1;name=NVIDIA A100-SXM4-80GB MIG 1g.10gb;' +
        `uuid=MIG-5c1e2b1a-0000-4000-8000-00000000a002;mem_total=${10 * GiB};` +
        `mem_used=${5 * GiB};gi=9;ci=0`,
      `proc 0 4000001 ${20 * GiB} 0` // a process of another container, on instance 0
    );
    await page.menu.clickMenuItem('Runtime>View resources');
    const panel = page.locator('#colab-ext-resources');
    const card = panel.locator('.jp-colab-GpuCard[data-gpu="0"]');
    await expect(card.locator('[data-figure="mig"]')).toContainText('enabled');
    const instances = card.locator('.jp-colab-MigDevice');
    await expect(instances).toHaveCount(2);
    await expect(card.locator('.jp-colab-MigList')).toContainText(
      '2 MIG instances'
    );
    const first = card.locator('.jp-colab-MigDevice[data-mig="0"]');
    await expect(first).toContainText('MIG 0 · 3g.40gb · GI 1 CI 0');
    await expect(first).toContainText('21.0 / 40.0 GiB');
    await expect(first).toContainText(
      'MIG-5c1e2b1a-0000-4000-8000-00000000a001'
    );
    const util = first.locator(
      '[data-figure="utilization"] .jp-colab-Figure-value'
    );
    await expect(util).toHaveText('n/a');
    await expect(util).toHaveAttribute(
      'title',
      'not supported on a MIG instance'
    );
    await expect(
      card.locator('.jp-colab-MigDevice[data-mig="1"]')
    ).toContainText('5.0 / 10.0 GiB');
    await expect(panel.locator('.jp-colab-Holder')).toContainText(
      'GPU 0 · MIG 0 · pid 4000001'
    );
    // The whole GPU's utilisation is not reported in MIG mode either: said, not blank.
    await expect(
      card.locator('[data-figure="utilization"] .jp-colab-Figure-value').first()
    ).toHaveText('n/a');

    const light = testInfo.outputPath('resources-mig-light.png');
    await card.screenshot({ path: light });
    await testInfo.attach('resources-mig-light', { path: light });
    const holders = testInfo.outputPath('resources-mig-holders-light.png');
    await panel.locator('.jp-colab-Holders-list').screenshot({ path: holders });
    await testInfo.attach('resources-mig-holders-light', { path: holders });
    await page.theme.setDarkTheme();
    await expect(instances).toHaveCount(2);
    const dark = testInfo.outputPath('resources-mig-dark.png');
    await card.screenshot({ path: dark });
    await testInfo.attach('resources-mig-dark', { path: dark });
    await page.theme.setLightTheme();
  });

  test('open tabs of one lab share one pushed feed from the server', async ({
    page,
    context,
    baseURL
  }) => {
    const sockets = { open: 0, frames: 0 };
    let asked = 0;
    const watch = (tab: typeof page) => {
      tab.on('websocket', ws => {
        if (!ws.url().includes('/colab/resources/socket')) {
          return;
        }
        sockets.open++;
        ws.on('framereceived', () => sockets.frames++);
        ws.on('close', () => sockets.open--);
      });
      tab.on('request', request => {
        if (
          request.url().includes('/colab/resources?') ||
          request.url().endsWith('/colab/resources')
        ) {
          asked++;
        }
      });
    };
    watch(page);
    await page.reload();
    const tabs = [page];
    for (let i = 0; i < 2; i++) {
      const tab = await context.newPage();
      watch(tab);
      await tab.goto(`${baseURL}/lab`);
      tabs.push(tab);
    }
    for (const tab of tabs) {
      await expect(tab.locator('.jp-colab-ResourcesStatus')).toContainText(
        /RAM \d+%/,
        { timeout: 60000 }
      );
      // All three are visible, so none stands by: each could lead.
      expect(await tab.evaluate(() => document.visibilityState)).toBe(
        'visible'
      );
    }
    await page.waitForTimeout(2000); // tabs that started together settle on one leader
    const askedBefore = asked;
    const framesBefore = sockets.frames;
    await page.waitForTimeout(5000);
    // One socket for the lab, a sample a second on it, and no HTTP polling meanwhile.
    expect(sockets.open).toBe(1);
    expect(sockets.frames - framesBefore).toBeGreaterThanOrEqual(3);
    expect(asked - askedBefore).toBeLessThanOrEqual(1);
    for (const tab of tabs) {
      await expect(tab.locator('.jp-colab-ResourcesStatus')).toContainText(
        /RAM \d+%/
      );
    }
  });

  test('without the socket a tab polls over HTTP and keeps the figures fresh', async ({
    page
  }) => {
    let refused = 0;
    await page.routeWebSocket(/\/colab\/resources\/socket/, ws => {
      refused++;
      void ws.close();
    });
    let asked = 0;
    page.on('request', request => {
      if (request.url().includes('/colab/resources')) {
        asked++;
      }
    });
    await page.reload();
    const item = page.locator('.jp-colab-ResourcesStatus');
    await expect(item).toContainText(/RAM \d+%/, { timeout: 60000 });
    const before = asked;
    await page.waitForTimeout(5000);
    expect(asked - before).toBeGreaterThanOrEqual(3); // about one a second
    expect(refused).toBeGreaterThanOrEqual(1);
    expect(refused).toBeLessThanOrEqual(4); // retried with backoff, not every tick
    await expect(item).not.toHaveClass(/jp-mod-stale/);
  });
});
