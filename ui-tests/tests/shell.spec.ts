import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import type { ISettingRegistry } from '@jupyterlab/settingregistry';
import { execSync } from 'child_process';

/** Processes whose command line contains `pattern` (none once a command was ended). */
function processesMatching(pattern: string): string[] {
  try {
    return execSync(`pgrep -af -- '${pattern}'`)
      .toString()
      .split('\n')
      .filter(line => line.trim() && !line.includes('pgrep'));
  } catch {
    return []; // pgrep exits 1 when nothing matches
  }
}

const FIRST_CELL = [
  '!echo hello from the shell',
  'x <- 6 * 7',
  'print(x)',
  '!read -p "Your name? " name; echo "Hello, $name"'
].join('\n');

const PROGRESS_CELL = [
  '!for i in 1 2 3; do printf "\\rprogress $i/3"; sleep 0.2; done; echo',
  '!echo oops >&2; false'
].join('\n');

// A duration no other test uses, so the process check below sees only this command.
const SLEEP = 'sleep 100.37';

test.describe('Shell commands in an R notebook', () => {
  // Galata's kernel tracking proxies every POST under /api/kernels and parses its body as JSON,
  // which fails on the interrupt's empty 204 answer. Sessions are still tracked and cleaned up.
  test.use({ autoGoto: true, kernels: null });

  test('! lines and R code run in order, with input, progress, stderr, exit codes and stop', async ({
    page,
    request,
    baseURL,
    tmpPath
  }, testInfo) => {
    await page.notebook.createNew('shell-r.ipynb', { kernel: 'ir' });
    await page.notebook.setCell(0, 'code', FIRST_CELL);
    await page.notebook.runCell(0, { inplace: true, wait: false });

    const output = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea');
    const stdin = output.locator('.jp-colab-ShellStdin-input');
    await expect(output).toContainText('hello from the shell');
    await expect(output).toContainText('[1] 42');
    await expect(stdin).toBeVisible();
    await expect(output).toContainText('Your name?');
    const asking = testInfo.outputPath('shell-r-input.png');
    await page.locator('.jp-Cell').nth(0).screenshot({ path: asking });
    await testInfo.attach('shell-r-input', { path: asking });

    await stdin.fill('Ada');
    await stdin.press('Enter');
    await expect(output).toContainText('Hello, Ada');
    await expect(stdin).toHaveCount(0);
    // Output order is the cell's order: shell, R, shell.
    const text = (await output.innerText()).replace(/\s+/g, ' ');
    expect(text.indexOf('hello from the shell')).toBeLessThan(
      text.indexOf('[1] 42')
    );
    expect(text.indexOf('[1] 42')).toBeLessThan(text.indexOf('Hello, Ada'));

    // Progress with \r redraws one line; stderr is marked; a failing command shows its code.
    await page.notebook.addCell('code', PROGRESS_CELL);
    await page.notebook.runCell(1, { inplace: true });
    const second = page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea');
    await expect(second).toContainText('progress 3/3');
    await expect(second).not.toContainText('progress 1/3');
    const stderr = second.locator(
      '[data-mime-type="application/vnd.jupyter.stderr"]'
    );
    await expect(stderr).toContainText('oops');
    await expect(stderr).toContainText('exited with code 1');
    // A shell-only cell runs on the server, yet gets a count of its own, as any run cell.
    const prompt = (index: number) =>
      page.locator('.jp-Cell').nth(index).locator('.jp-InputPrompt');
    const firstCount = (await prompt(0).innerText()).trim();
    expect(firstCount).toMatch(/^\[\d+\]:$/);
    const next = Number(/\d+/.exec(firstCount)![0]) + 1;
    await expect(prompt(1)).toHaveText(`[${next}]:`);

    // The stop button interrupts a long command; nothing is left running.
    await page.notebook.addCell('code', `!${SLEEP}`);
    await page.notebook.runCell(2, { inplace: true, wait: false });
    const third = page.locator('.jp-Cell').nth(2).locator('.jp-OutputArea');
    await expect(third.locator('.jp-colab-ShellStdin-input')).toBeVisible();
    await expect.poll(() => processesMatching(SLEEP).length).toBe(1);
    await page
      .locator(
        '.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]'
      )
      .click();
    await expect(third).toContainText('KeyboardInterrupt');
    await expect.poll(() => processesMatching(SLEEP)).toEqual([]);
    const done = testInfo.outputPath('shell-r-done.png');
    await page.locator('.jp-NotebookPanel').screenshot({ path: done });
    await testInfo.attach('shell-r-done', { path: done });

    // What was saved is ordinary notebook output.
    await page.notebook.save();
    // Galata's save returns once asked; read the file when the server has it.
    let cells: any[] = [];
    await expect
      .poll(async () => {
        const response = await request.get(
          `${baseURL}/api/contents/${tmpPath}/shell-r.ipynb?content=1`
        );
        cells = response.ok()
          ? ((await response.json()).content?.cells ?? [])
          : [];
        return cells.length === 3 && cells[2].outputs.length > 0;
      })
      .toBe(true);
    const streams = (cell: any, name: string) =>
      cell.outputs
        .filter((o: any) => o.output_type === 'stream' && o.name === name)
        .map((o: any) => (Array.isArray(o.text) ? o.text.join('') : o.text))
        .join('');
    expect(streams(cells[0], 'stdout')).toContain('hello from the shell\n');
    expect(streams(cells[0], 'stdout')).toContain('[1] 42');
    expect(streams(cells[0], 'stdout')).toContain('Hello, Ada\n');
    expect(streams(cells[1], 'stdout')).toBe('progress 3/3\n');
    expect(streams(cells[1], 'stderr')).toContain('oops\n');
    expect(cells[2].outputs.map((o: any) => o.output_type)).toContain('error');

    await page.theme.setDarkTheme();
    await page.notebook.runCell(0, { inplace: true, wait: false });
    await expect(stdin).toBeVisible();
    const dark = testInfo.outputPath('shell-r-input-dark.png');
    await page.locator('.jp-Cell').nth(0).screenshot({ path: dark });
    await testInfo.attach('shell-r-input-dark', { path: dark });
    await stdin.fill('Grace');
    await stdin.press('Enter');
    await expect(output).toContainText('Hello, Grace');
    await page.theme.setLightTheme();
  });
});

test.describe('Shell commands in an IPython notebook', () => {
  test.use({ autoGoto: true, kernels: null });

  test('with the kernel-side `!` off, %%shell runs on the server, IPython keeps its own !, closing the notebook ends commands', async ({
    page
  }, testInfo) => {
    await page.notebook.createNew('shell-py.ipynb', { kernel: 'python3' });
    // Off, the kernel has no %%shell: the server's shell route runs those cells.
    await page.notebook.setCell(0, 'code', '%colab_ext_shell off');
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.addCell(
      'code',
      '%%shell\nread -p "ok? " answer; echo "got $answer"\n' +
        'read -s -p "token? " secret; echo; echo "${#secret} characters"'
    );
    await page.notebook.runCell(1, { inplace: true, wait: false });
    const first = page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea');
    const stdin = first.locator('.jp-colab-ShellStdin-input');
    // A user answers the question once it is shown (typing ahead of it is another story).
    await expect(first).toContainText('ok?');
    await stdin.fill('yes');
    await stdin.press('Enter');
    await expect(first).toContainText('got yes');
    // Echo off: typing hidden, and JupyterLab's lock icon says so.
    await expect(stdin).toHaveAttribute('type', 'password');
    await expect(first.locator('.jp-colab-ShellStdin-lock svg')).toBeVisible();
    const hidden = testInfo.outputPath('shell-route-password.png');
    await expect(first).toContainText('token?');
    await page.locator('.jp-Cell').nth(1).screenshot({ path: hidden });
    await testInfo.attach('shell-route-password', { path: hidden });
    await stdin.fill('s3cret');
    await stdin.press('Enter');
    await expect(first).toContainText('6 characters');
    await expect(first).not.toContainText('s3cret');
    // The prompts are the command's questions, not errors: none of it is on stderr, and each
    // answer follows its prompt on the same line.
    await expect(
      first.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    ).toHaveCount(0);
    await expect(first).toContainText('ok? yes');

    // IPython's own `!` (with interpolation), as the user asked.
    await page.notebook.addCell('code', 'n = 2\n!echo {n + 1}');
    await page.notebook.runCell(2, { inplace: true });
    const second = page.locator('.jp-Cell').nth(2).locator('.jp-OutputArea');
    await expect(second).toContainText('3');
    await expect(second.locator('.jp-colab-ShellStdin')).toHaveCount(0);

    const sleeper = 'sleep 100.53';
    await page.notebook.addCell('code', `%%shell\n${sleeper}`);
    await page.notebook.runCell(3, { inplace: true, wait: false });
    await expect.poll(() => processesMatching(sleeper).length).toBe(1);
    // Close without shutting the kernel down: the command still ends with its notebook.
    await page.notebook.close(true);
    await expect.poll(() => processesMatching(sleeper)).toEqual([]);
  });
});

/** The user's setting, as the page's settings registry has it. */
async function routeSetting(page: IJupyterLabPageFixture): Promise<unknown> {
  return page.evaluate(async () => {
    const registry = (await window.galata.getPlugin(
      '@jupyterlab/apputils-extension:settings'
    )) as ISettingRegistry;
    return (await registry.get('colab-ext:shell', 'routeIPythonBang'))
      .composite;
  });
}

/** Turn _Run IPython's `!` lines through colab-ext_ on or off in the Settings Editor. */
async function setRouteIPythonBang(
  page: IJupyterLabPageFixture,
  on: boolean,
  screenshot?: string
): Promise<void> {
  await page.evaluate(async () => {
    await window.jupyterapp.commands.execute('settingeditor:open', {
      query: 'Shell commands'
    });
  });
  const checkbox = page.getByRole('checkbox', {
    name: /Run IPython.s `!` lines through colab-ext/
  });
  await checkbox.setChecked(on);
  await expect.poll(() => routeSetting(page)).toBe(on);
  if (screenshot) {
    await page.locator('.jp-SettingsPanel').screenshot({ path: screenshot });
  }
  await page.activity.closePanel('Settings');
}

const IPYTHON_BANG = [
  "x = 'interpolated'",
  '!echo {x}',
  'files = !ls',
  'print(type(files).__name__)'
].join('\n');

test.describe('The setting that routes IPython’s ! through colab-ext', () => {
  test.use({ autoGoto: true, kernels: null });

  test('on, ! lines get colab-ext’s stream and input box; off, IPython’s own ! interpolates and captures', async ({
    page
  }, testInfo) => {
    expect(await routeSetting(page)).toBe(false);
    const name = 'shell-bang.ipynb';
    await page.notebook.createNew(name, { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', IPYTHON_BANG);
    await page.notebook.runCell(0, { inplace: true });
    const first = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea');
    await expect(first).toContainText('interpolated');
    await expect(first).toContainText('SList'); // `files = !ls` captured by IPython

    const settings = testInfo.outputPath('shell-bang-setting.png');
    await setRouteIPythonBang(page, true, settings);
    await testInfo.attach('shell-bang-setting', { path: settings });
    await page.notebook.activate(name);

    // Now colab-ext runs `!` lines: bash gets `{x}` as written, and `read` gets the input box.
    await page.notebook.addCell(
      'code',
      '!echo {x}\n!read -p "Your name? " n; echo "Hello, $n"'
    );
    await page.notebook.runCell(1, { inplace: true, wait: false });
    const second = page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea');
    const stdin = second.locator('.jp-colab-ShellStdin-input');
    await expect(stdin).toBeVisible();
    await expect(second).toContainText('{x}');
    await expect(second).toContainText('Your name?');
    const asking = testInfo.outputPath('shell-bang-routed.png');
    await page.locator('.jp-Cell').nth(1).screenshot({ path: asking });
    await testInfo.attach('shell-bang-routed', { path: asking });
    await page.theme.setDarkTheme();
    const dark = testInfo.outputPath('shell-bang-routed-dark.png');
    await page.locator('.jp-Cell').nth(1).screenshot({ path: dark });
    await testInfo.attach('shell-bang-routed-dark', { path: dark });
    await page.theme.setLightTheme();
    await stdin.fill('Ada');
    await stdin.press('Enter');
    await expect(second).toContainText('Hello, Ada');
    await expect(stdin).toHaveCount(0);
    await expect(second).not.toContainText('interpolated');

    // Off again: IPython's own `!` is back, with interpolation and `files = !ls`.
    await setRouteIPythonBang(page, false);
    await page.notebook.activate(name);
    await page.notebook.runCell(0, { inplace: true });
    await expect(first).toContainText('interpolated');
    await expect(first).toContainText('SList');
    await expect(first.locator('.jp-colab-ShellStdin')).toHaveCount(0);
  });
});
