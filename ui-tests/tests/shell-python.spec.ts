import { expect, test } from '@jupyterlab/galata';
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

// IPython's meanings (expansion, capture) and colab-ext's (progress, input) in one cell.
const FIRST_CELL = [
  'x = 6 * 7',
  '!echo "hello from the shell, x is {x}"',
  'files = !printf "a\\nb\\n"',
  'print(files)',
  '!for i in 1 2 3; do printf "\\rprogress $i/3"; sleep 0.2; done; echo',
  '!read -p "Your name? " who; echo "Hello, $$who"'
].join('\n');

// A duration no other test uses, so the process check below sees only this command.
const SLEEP = 'sleep 100.41';

test.describe('Shell commands in a Python notebook (default settings)', () => {
  // As in shell.spec.ts: Galata's kernel tracking fails on the interrupt's empty answer.
  test.use({ autoGoto: true, kernels: null });

  test('! lines keep IPython meanings, ask for input and stop on the stop button', async ({
    page
  }, testInfo) => {
    await page.notebook.createNew('shell-python.ipynb', { kernel: 'python3' });
    await page.notebook.setCell(0, 'code', FIRST_CELL);
    await page.notebook.runCell(0, { inplace: true, wait: false });

    const output = page.locator('.jp-Cell').nth(0).locator('.jp-OutputArea');
    const stdin = output.locator('.jp-Stdin-input');
    await expect(output).toContainText('hello from the shell, x is 42');
    await expect(output).toContainText("['a', 'b']");
    await expect(output).toContainText('progress 3/3');
    await expect(output).not.toContainText('progress 1/3');
    await expect(stdin).toBeVisible();
    await expect(output.locator('.jp-Stdin-prompt')).toContainText(
      'Your name?'
    );
    const asking = testInfo.outputPath('shell-python-input.png');
    await page.locator('.jp-Cell').nth(0).screenshot({ path: asking });
    await testInfo.attach('shell-python-input', { path: asking });

    await stdin.fill('Ada');
    await stdin.press('Enter');
    await expect(output).toContainText('Hello, Ada');
    await expect(stdin).toHaveCount(0);
    // The answer is shown once (the input box's), not echoed again by the terminal.
    const text = await output.innerText();
    expect(text.split('Ada').length - 1).toBe(2); // "Your name? Ada" and "Hello, Ada"
    // A prompt is not an error.
    await expect(
      output.locator('[data-mime-type="application/vnd.jupyter.stderr"]')
    ).toHaveCount(0);

    // The stop button interrupts a long command; nothing is left running.
    await page.notebook.addCell('code', `!${SLEEP}`);
    await page.notebook.runCell(1, { inplace: true, wait: false });
    const second = page.locator('.jp-Cell').nth(1).locator('.jp-OutputArea');
    await expect.poll(() => processesMatching(SLEEP).length).toBe(1);
    await page
      .locator(
        '.jp-NotebookPanel-toolbar [data-command="notebook:interrupt-kernel"]'
      )
      .click();
    await expect(second).toContainText('KeyboardInterrupt');
    await expect.poll(() => processesMatching(SLEEP)).toEqual([]);
    const done = testInfo.outputPath('shell-python-done.png');
    await page.locator('.jp-NotebookPanel').screenshot({ path: done });
    await testInfo.attach('shell-python-done', { path: done });
  });

  test('%%bash and %%shell cells run in the kernel, where %cd moved it, with their count', async ({
    page
  }, testInfo) => {
    await page.notebook.createNew('shell-python-cells.ipynb', {
      kernel: 'python3'
    });
    await page.notebook.setCell(
      0,
      'code',
      "import os\nos.makedirs('moved_here', exist_ok=True)\n%cd moved_here"
    );
    await page.notebook.runCell(0, { inplace: true });
    await page.notebook.addCell('code', '%%bash\npwd\necho "sum $((40 + 2))"');
    await page.notebook.runCell(1, { inplace: true });
    await page.notebook.addCell('code', '%%shell\nbasename "$PWD"');
    await page.notebook.runCell(2, { inplace: true });

    const cells = page.locator('.jp-Cell');
    await expect(cells.nth(1).locator('.jp-OutputArea')).toContainText(
      /moved_here\s+sum 42/
    );
    await expect(cells.nth(2).locator('.jp-OutputArea')).toContainText(
      'moved_here'
    );
    // Each ran as a cell of its own: counts 1, 2, 3.
    await expect(cells.nth(1).locator('.jp-InputPrompt')).toContainText('[2]');
    await expect(cells.nth(2).locator('.jp-InputPrompt')).toContainText('[3]');

    // With the kernel's extension off, `%%shell` (not an IPython magic) still runs: on the
    // server's shell route, in the notebook's folder.
    await page.notebook.addCell('code', '%colab_ext_shell off');
    await page.notebook.runCell(3, { inplace: true });
    await page.notebook.addCell('code', '%%shell\nbasename "$PWD"');
    await page.notebook.runCell(4, { inplace: true });
    const routed = cells.nth(4).locator('.jp-OutputArea');
    await expect(routed).not.toContainText('moved_here');
    await expect(routed).toContainText(/\S/);
    // It ran on the server, and still gets a count of its own (the kernel counts it).
    await expect(cells.nth(4).locator('.jp-InputPrompt')).toContainText('[5]');
    const shot = testInfo.outputPath('shell-python-cells.png');
    await page.locator('.jp-NotebookPanel').screenshot({ path: shot });
    await testInfo.attach('shell-python-cells', { path: shot });
  });
});
