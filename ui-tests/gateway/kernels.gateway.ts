/**
 * Kernels on Jupyter Enterprise Gateway, in the browser: each notebook's kernel websocket must
 * reach `idle` and run code at once, through a change of runtime type (a new gateway kernel with
 * the type's KERNEL_* variables), a restart, a page reload, and with ten notebooks opening
 * together. Before colab-ext relayed gateway websockets itself (docs/gateway.md), a new
 * notebook's kernel stayed `unknown` for 42 s in about a third of the tries.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { APIRequestContext, TestInfo } from '@playwright/test';

import { EMPTY_PYTHON_NOTEBOOK } from '../tests/support/sessions';

/** How long a kernel may take to answer through the gateway: far below the 42 s stall. */
const KERNEL_READY_MS = 15000;

/** The runtime type as the gateway's kernel sees it: the variables colab-ext sent it. */
const PRINT_TYPE = `import os
for name in ('RUNTIME_TYPE', 'GPUS', 'MEMORY'):
    print(name, os.environ.get('KERNEL_' + name))`;

/** What PRINT_TYPE prints in a kernel of the `gpu-2x` type (jupyter_gateway_config.py). */
const GPU_2X = 'RUNTIME_TYPE gpu-2x\nGPUS 2\nMEMORY 2Gi\n';

/** What PRINT_TYPE prints in a kernel started without a runtime type. */
const NO_TYPE = 'RUNTIME_TYPE None\nGPUS None\nMEMORY None\n';

/** How many notebooks open together at the end. */
const TOGETHER = 10;

/**
 * COLAB_EXT_UI_GATEWAY_WITHOUT=1 runs this test on jupyter_server's own relay, colab-ext off
 * (jupyter_gateway_config.py), to show the stall: there are no runtime types then, so the steps
 * that change and check the type are left out.
 */
const WITH_COLAB_EXT = process.env.COLAB_EXT_UI_GATEWAY_WITHOUT !== '1';

/** An empty Python notebook, saved through the contents API. */
const NOTEBOOK = {
  type: 'notebook',
  format: 'json',
  content: EMPTY_PYTHON_NOTEBOOK
};

/** The active notebook's kernel status, as its toolbar shows it. */
function kernelStatus(page: IJupyterLabPageFixture) {
  return page.locator(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator'
  );
}

/**
 * Wait until the active notebook's kernel is connected and idle, then check its toolbar says so.
 * (The toolbar alone is not enough: it shows `idle` before the notebook has a kernel at all.)
 */
async function expectIdle(page: IJupyterLabPageFixture) {
  await expect
    .poll(
      () =>
        page.evaluate(() => {
          const panel = (window as any).jupyterapp.shell.currentWidget;
          const kernel = panel?.sessionContext?.session?.kernel;
          return kernel
            ? `${kernel.connectionStatus} ${kernel.status}`
            : 'no kernel';
        }),
      { timeout: KERNEL_READY_MS }
    )
    .toBe('connected idle');
  await expect(kernelStatus(page)).toHaveAttribute('data-status', 'idle');
}

/** Run `code` in the active notebook's first cell; what it printed (and any error). */
async function run(
  page: IJupyterLabPageFixture,
  code: string
): Promise<string> {
  // Put in the cell's model and run by command, not typed and run by key: the editor's
  // auto-indent changes indented code, typing takes seconds, and a key goes nowhere when the
  // notebook does not have the focus (as after opening it by path).
  return page.evaluate(async code => {
    const app = (window as any).jupyterapp;
    const notebook = app.shell.currentWidget.content;
    notebook.activeCellIndex = 0;
    const cell = notebook.activeCell;
    cell.model.sharedModel.setSource(code);
    // (the command resolves when the kernel has answered)
    await app.commands.execute('notebook:run-cell');
    return cell.model.outputs
      .toJSON()
      .map((output: any) =>
        output.output_type === 'error'
          ? `${output.ename}: ${output.evalue}\n` // shown by a failing expectation
          : output.output_type !== 'stream'
            ? ''
            : Array.isArray(output.text)
              ? output.text.join('')
              : output.text
      )
      .join('');
  }, code);
}

/** Every open notebook's kernel, by path: its status and the result of running `code`. */
async function runEverywhere(page: IJupyterLabPageFixture, code: string) {
  return page.evaluate(
    async ({ code, timeout }) => {
      const app = (window as any).jupyterapp;
      const panels = [...app.shell.widgets('main')].filter(
        (w: any) => w.sessionContext
      );
      return Promise.all(
        panels.map(async (panel: any) => {
          await panel.sessionContext.ready;
          const kernel = panel.sessionContext.session.kernel;
          const ready = new Promise<void>((resolve, reject) => {
            const check = () => kernel.status === 'idle' && resolve();
            kernel.statusChanged.connect(check);
            check();
            setTimeout(
              () =>
                reject(new Error(`${panel.context.path}: ${kernel.status}`)),
              timeout
            );
          });
          await ready;
          let text = '';
          const future = kernel.requestExecute({ code });
          future.onIOPub = (msg: any) => {
            if (msg.header.msg_type === 'stream') {
              text += msg.content.text;
            }
          };
          const reply = await future.done;
          return {
            path: panel.context.path,
            status: reply.content.status,
            text
          };
        })
      );
    },
    { code, timeout: KERNEL_READY_MS }
  );
}

// Galata's kernel tracking answers a kernel restart with 201 (as for a new kernel), and
// JupyterLab then never reconnects after it: let the requests reach the server untouched.
test.use({ kernels: null, sessions: null });

test.afterEach(async ({ request, baseURL }) => {
  // Without Galata's tracking, the test shuts its kernels down on the gateway itself (all at
  // once: each shutdown takes the gateway a second or two).
  const sessions = await (await request.get(`${baseURL}/api/sessions`)).json();
  await Promise.all(
    sessions.map((session: { id: string }) =>
      request.delete(`${baseURL}/api/sessions/${session.id}`)
    )
  );
});

/** The runtime type of the active notebook, in the status bar. */
function runtimeStatus(page: IJupyterLabPageFixture) {
  return page.locator('.jp-colab-RuntimeTypeStatus');
}

/** The kernel id of the one session of `path`. */
async function kernelOf(
  request: APIRequestContext,
  baseURL: string | undefined,
  path: string
): Promise<string> {
  const sessions = await (await request.get(`${baseURL}/api/sessions`)).json();
  const session = sessions.find((s: { path: string }) => s.path === path);
  expect(session, path).toBeTruthy();
  return session.kernel.id;
}

/**
 * Runtime > Change runtime type to `typeId`, as a user does it, on a notebook whose kernel has no
 * type yet. On a gateway the cluster places GPUs: GPU types are offered on a machine without one,
 * and no GPU is picked by hand.
 */
async function changeRuntimeType(
  page: IJupyterLabPageFixture,
  typeId: string,
  label: string
) {
  await page.menu.clickMenuItem('Runtime>Change runtime type');
  const dialog = page.locator('.jp-Dialog .jp-colab-RuntimeType');
  await expect(dialog).toContainText(
    'Kernels run on a cluster: the gateway places them.'
  );
  await expect(
    dialog.locator('[data-type="server-default"] input')
  ).toBeChecked();
  const wanted = dialog.locator(`[data-type="${typeId}"]`);
  await expect(wanted.locator('input')).toBeEnabled();
  await wanted.click();
  await expect(dialog.locator('.jp-colab-RuntimeType-gpu')).toBeHidden();
  await page
    .locator('.jp-Dialog')
    .getByRole('button', { name: 'Save' })
    .click();
  await page.getByRole('button', { name: `Restart as ${label}` }).click();
  // The status bar follows once the page is on the new kernel.
  await expect(runtimeStatus(page)).toHaveText(label, {
    timeout: KERNEL_READY_MS
  });
}

/**
 * What the server cannot see of a gateway's kernels is said where a user looks: About this
 * runtime (where each feature runs, and that the gateway decides idle shutdowns) and the
 * resources panel (its figures are the server's machine).
 */
async function saysWhatTheServerCannotSee(
  page: IJupyterLabPageFixture,
  testInfo: TestInfo
) {
  await page.menu.clickMenuItem('Runtime>About this runtime');
  const about = page.locator('.jp-Dialog .jp-colab-AboutRuntime');
  await expect(about).toContainText('Kernels on a cluster gateway');
  await expect(about).toContainText('This server’s machine (not the kernels’)');
  await expect(about.locator('[data-fact="remote_colab"]')).toContainText(
    'kernel images that have colab-ext installed'
  );
  await expect(about.locator('[data-fact="lifetime_idle"]')).toHaveText(
    'decided by the cluster gateway (not visible from this server)'
  );
  const shot = testInfo.outputPath('gateway-about.png');
  await page.locator('.jp-Dialog-content').screenshot({ path: shot });
  await testInfo.attach('gateway-about', { path: shot });
  await page
    .locator('.jp-Dialog')
    .getByRole('button', { name: 'Close' })
    .click();

  await page.menu.clickMenuItem('Runtime>View resources');
  const panel = page.locator('#colab-ext-resources');
  await expect(panel.locator('.jp-colab-Resources-remote')).toContainText(
    'Kernels run on a cluster gateway: these figures are this server’s machine'
  );
  const panelShot = testInfo.outputPath('gateway-resources.png');
  await panel.screenshot({ path: panelShot });
  await testInfo.attach('gateway-resources', { path: panelShot });
}

test('gateway kernels connect, change type, restart, reconnect and run ten side by side', async ({
  page,
  request,
  baseURL,
  tmpPath
}, testInfo) => {
  // A new notebook: its kernel starts on the gateway, with no runtime type, and answers at once.
  const path = `${tmpPath}/gateway.ipynb`;
  await page.evaluate(
    ({ path, notebook }) =>
      (window as any).jupyterapp.serviceManager.contents.save(path, notebook),
    { path, notebook: NOTEBOOK }
  );
  await page.notebook.openByPath(path);
  await expectIdle(page);
  expect(await run(page, `${PRINT_TYPE}\nkept = 6 * 7\nprint(kept)`)).toBe(
    `${NO_TYPE}42\n`
  );

  // A new type: a new gateway kernel with the type's KERNEL_* variables, the notebook's session
  // moved onto it and the old kernel shut down; the page follows and runs code on it at once.
  let type = NO_TYPE;
  if (WITH_COLAB_EXT) {
    await expect(runtimeStatus(page)).toHaveText('Server default');
    const first = await kernelOf(request, baseURL, path);
    await changeRuntimeType(page, 'gpu-2x', '2 GPUs');
    await expectIdle(page);
    expect(await run(page, `print('kept' in dir())\n${PRINT_TYPE}`)).toBe(
      `False\n${GPU_2X}`
    );
    type = GPU_2X;
    expect(await kernelOf(request, baseURL, path)).not.toBe(first);
    const kernels = await (await request.get(`${baseURL}/api/kernels`)).json();
    expect(kernels.map((k: { id: string }) => k.id)).not.toContain(first);
    const shot = testInfo.outputPath('gateway-runtime-type.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('gateway-runtime-type', { path: shot });
  }

  // Restart: the same notebook, a fresh kernel on the gateway, still connected, of the same type.
  await run(page, 'kept = 1');
  // (the command is awaited in a second step: it waits for the dialog's answer, and resolves
  // once the page has reconnected to the restarted kernel)
  await page.evaluate(() => {
    const app = (window as any).jupyterapp;
    app.restarted = app.commands.execute('notebook:restart-kernel');
  });
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await page.evaluate(() => (window as any).jupyterapp.restarted);
  await expectIdle(page);
  expect(await run(page, `print('kept' in dir())\n${PRINT_TYPE}`)).toBe(
    `False\n${type}`
  );
  if (WITH_COLAB_EXT) {
    await expect(runtimeStatus(page)).toHaveText('2 GPUs');
  }

  // A page reload: the browser opens new websockets to the running kernel.
  // (not Galata's readiness check: it waits for a Launcher, and the notebook is restored instead)
  await page.reload({ waitForIsReady: false });
  // (the workspace brings the notebook back, with its kernel)
  await page
    .locator('.lm-DockPanel-tabBar .lm-TabBar-tab', {
      hasText: 'gateway.ipynb'
    })
    .click();
  await expectIdle(page);
  expect(await run(page, "print('after reload')")).toBe('after reload\n');
  if (WITH_COLAB_EXT) {
    await expect(runtimeStatus(page)).toHaveText('2 GPUs');
    await saysWhatTheServerCannotSee(page, testInfo);
  }

  // Ten notebooks opening at once, each with its own kernel on the gateway.
  const names = Array.from({ length: TOGETHER }, (_, i) => `n${i}.ipynb`);
  await page.evaluate(
    async ({ dir, names, notebook }) => {
      const app = (window as any).jupyterapp;
      await Promise.all(
        names.map(async name => {
          const path = `${dir}/${name}`;
          await app.serviceManager.contents.save(path, notebook);
          return app.commands.execute('docmanager:open', { path });
        })
      );
    },
    { dir: tmpPath, names, notebook: NOTEBOOK }
  );
  // All eleven open notebooks, the first one included, run code side by side.
  const results = await runEverywhere(page, 'import os; print(os.getpid())');
  expect(results.map(r => r.path.split('/').pop()).sort()).toEqual(
    [...names, 'gateway.ipynb'].sort()
  );
  for (const result of results) {
    expect(result.status, result.path).toBe('ok');
  }
  // Eleven kernels, eleven processes: none of the notebooks shares another's kernel.
  expect(new Set(results.map(r => r.text.trim())).size).toBe(TOGETHER + 1);
});
