/**
 * Kernels on Jupyter Enterprise Gateway, in the browser: each notebook's kernel websocket must
 * reach `idle` and run code at once, through a restart, a page reload, and with several notebooks
 * opening together. Before colab-ext relayed gateway websockets itself (docs/gateway.md), a new
 * notebook's kernel stayed `unknown` for 42 s in about a third of the tries.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

/** Seconds a kernel may take to answer through the gateway: far below the 42 s stall. */
const KERNEL_READY_MS = 15000;

/** An empty Python notebook, saved through the contents API. */
const NOTEBOOK = {
  type: 'notebook',
  format: 'json',
  content: {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: { kernelspec: { name: 'python3', display_name: 'Python 3' } },
    cells: [
      {
        cell_type: 'code',
        metadata: {},
        execution_count: null,
        outputs: [],
        source: ''
      }
    ]
  }
};

/** The active notebook's kernel status, as its toolbar shows it. */
function kernelStatus(page: IJupyterLabPageFixture) {
  return page.locator(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-ExecutionIndicator'
  );
}

async function expectIdle(page: IJupyterLabPageFixture) {
  await expect(kernelStatus(page)).toHaveAttribute('data-status', 'idle', {
    timeout: KERNEL_READY_MS
  });
}

/** Run `code` in the active notebook's first cell; its text output. */
async function run(
  page: IJupyterLabPageFixture,
  code: string
): Promise<string> {
  await page.notebook.setCell(0, 'code', code);
  await page.notebook.runCell(0, true);
  return (await page.notebook.getCellTextOutput(0))?.join('') ?? '';
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
  // Without Galata's tracking, the test shuts its kernels down on the gateway itself.
  const sessions = await (await request.get(`${baseURL}/api/sessions`)).json();
  for (const session of sessions) {
    await request.delete(`${baseURL}/api/sessions/${session.id}`);
  }
});

test('gateway kernels connect, restart, reconnect and run side by side', async ({
  page,
  tmpPath
}) => {
  // A new notebook: its kernel starts on the gateway and answers at once.
  await page.evaluate(
    ({ path, notebook }) =>
      (window as any).jupyterapp.serviceManager.contents.save(path, notebook),
    { path: `${tmpPath}/gateway.ipynb`, notebook: NOTEBOOK }
  );
  await page.notebook.openByPath(`${tmpPath}/gateway.ipynb`);
  await expectIdle(page);
  expect(await run(page, 'kept = 6 * 7\nprint(kept)')).toContain('42');

  // Restart: the same notebook, a fresh kernel on the gateway, still connected.
  // (not awaited in the page: the command waits for the dialog's answer)
  await page.evaluate(() => {
    void (window as any).jupyterapp.commands.execute('notebook:restart-kernel');
  });
  await page.locator('.jp-Dialog .jp-mod-accept').click();
  await expectIdle(page);
  expect(await run(page, "print('kept' in dir())")).toContain('False');

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
  expect(await run(page, "print('after reload')")).toContain('after reload');

  // Several notebooks opening at once, each with its own kernel on the gateway.
  await page.evaluate(
    async ({ dir, notebook }) => {
      const app = (window as any).jupyterapp;
      await Promise.all(
        ['a', 'b', 'c'].map(async name => {
          const path = `${dir}/${name}.ipynb`;
          await app.serviceManager.contents.save(path, notebook);
          return app.commands.execute('docmanager:open', { path });
        })
      );
    },
    { dir: tmpPath, notebook: NOTEBOOK }
  );
  const results = await runEverywhere(page, 'import os; print(os.getpid())');
  expect(results.map(r => r.path.split('/').pop()).sort()).toEqual([
    'a.ipynb',
    'b.ipynb',
    'c.ipynb',
    'gateway.ipynb'
  ]);
  for (const result of results) {
    expect(result.status, result.path).toBe('ok');
  }
  // Four kernels, four processes: none of the notebooks shares another's kernel.
  expect(new Set(results.map(r => r.text.trim())).size).toBe(4);
});
