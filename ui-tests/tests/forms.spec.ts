/**
 * Colab's forms: annotated cells show fields beside (or instead of) their code; editing a field
 * rewrites its line in the source, Ctrl+Z takes it back, `run: "auto"` runs the cell, and the
 * setting turns forms off and on.
 */
import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';
import { readmeScreenshot } from './support/screenshots';

const NOTEBOOK = 'forms-demo.ipynb';
const SETTINGS_CELL = [
  '#@title Training settings { display-mode: "form" }',
  '#@markdown Pick a **model** and how long to train it.',
  'model = "base" #@param ["base", "large"]',
  'steps = 100 #@param {type:"slider", min:10, max:1000, step:10}',
  'use_gpu = True #@param {type:"boolean"}',
  'run_name = \'first run\' #@param {type:"string"}',
  'print(model, steps, use_gpu, run_name)'
].join('\n');

const GREETING_CELL = [
  '#@title Greeting { run: "auto" }',
  'name = "world" # @param {type:"string"}',
  "print(f'hello {name}')"
].join('\n');

/** Upload a notebook of the two annotated cells, and open it. */
async function openFormsNotebook(
  page: IJupyterLabPageFixture,
  tmpPath: string
): Promise<void> {
  const cell = (source: string) => ({
    cell_type: 'code',
    metadata: {},
    execution_count: null,
    outputs: [],
    source
  });
  const notebook = {
    nbformat: 4,
    nbformat_minor: 5,
    metadata: {
      kernelspec: { name: 'python3', display_name: 'Python 3 (ipykernel)' }
    },
    cells: [cell(SETTINGS_CELL), cell(GREETING_CELL)]
  };
  await page.contents.uploadContent(
    JSON.stringify(notebook),
    'text',
    `${tmpPath}/${NOTEBOOK}`
  );
  await page.notebook.open(NOTEBOOK);
  await page.notebook.activate(NOTEBOOK);
}

/** A cell's source, as its shared model has it (the editor may be hidden). */
async function sourceOf(
  page: IJupyterLabPageFixture,
  index: number
): Promise<string> {
  return page.evaluate(i => {
    const panel = window.jupyterapp.shell.currentWidget as any;
    return panel.content.widgets[i].model.sharedModel.getSource() as string;
  }, index);
}

test.describe('Forms', () => {
  test('fields rewrite the source, undo takes it back', async ({
    page,
    tmpPath
  }, testInfo) => {
    await openFormsNotebook(page, tmpPath);
    const cell = page.locator('.jp-Notebook .jp-CodeCell').first();
    const form = cell.locator('.jp-colab-Form');
    await expect(form.locator('.jp-colab-Form-title')).toHaveText(
      'Training settings'
    );
    await expect(form.locator('.jp-colab-Form-markdown strong')).toHaveText(
      'model'
    );
    // display-mode "form": the code is hidden until asked for.
    await expect(cell.locator('.jp-InputArea-editor')).toBeHidden();

    await form.getByLabel('model').selectOption('large');
    await form.getByLabel('steps').evaluate((slider: HTMLInputElement) => {
      slider.value = '500';
      slider.dispatchEvent(new Event('change', { bubbles: true }));
    });
    await form.getByLabel('use_gpu').uncheck();
    await form.getByLabel('run_name').fill("Ada's run");
    await form.getByLabel('run_name').press('Enter');
    await expect
      .poll(() => sourceOf(page, 0))
      .toBe(
        SETTINGS_CELL.replace('"base" #', '"large" #')
          .replace('100 #', '500 #')
          .replace('True #', 'False #')
          .replace("'first run'", "'Ada\\'s run'")
      );

    // Both cells, in both themes, for the README too.
    const cells = page.locator('.jp-Notebook .jp-Cell');
    await cells.nth(1).locator('.jp-colab-Form').waitFor();
    // Python's highlighting loads lazily: wait for it, so the picture shows it.
    await cells.nth(1).locator('.cm-content span').first().waitFor();
    for (const theme of ['light', 'dark']) {
      if (theme === 'dark') {
        await page.theme.setDarkTheme();
      }
      const first = (await cells.nth(0).boundingBox())!;
      const last = (await cells.nth(1).boundingBox())!;
      const target =
        readmeScreenshot(`forms-${theme}.png`) ??
        testInfo.outputPath(`forms-${theme}.png`);
      await page.screenshot({
        path: target,
        clip: {
          x: first.x,
          y: first.y,
          width: first.width,
          height: last.y + last.height - first.y
        }
      });
      await testInfo.attach(`forms-${theme}`, { path: target });
    }
    await page.theme.setLightTheme();

    // The code, and Ctrl+Z in it: one edit undone per step.
    await form.getByRole('button', { name: 'Show code' }).click();
    await expect(cell.locator('.jp-InputArea-editor')).toBeVisible();
    await cell.locator('.jp-InputArea-editor .cm-content').click();
    await page.keyboard.press('Control+z');
    await expect.poll(() => sourceOf(page, 0)).toContain("'first run'");
    await expect.poll(() => sourceOf(page, 0)).toContain('use_gpu = False');
    await page.keyboard.press('Control+z');
    await expect.poll(() => sourceOf(page, 0)).toContain('use_gpu = True');
    await expect(form.getByLabel('use_gpu')).toBeChecked();
    // Ctrl+Z in the form undoes the form's edits too.
    await form.getByLabel('steps').focus();
    await page.keyboard.press('Control+z');
    await expect.poll(() => sourceOf(page, 0)).toContain('steps = 100 #');
    await expect(form.getByLabel('steps')).toHaveValue('100');
  });

  test('run "auto" runs the cell; the setting turns forms off', async ({
    page,
    tmpPath
  }) => {
    await openFormsNotebook(page, tmpPath);
    const cell = page.locator('.jp-Notebook .jp-CodeCell').nth(1);
    const name = cell.locator('.jp-colab-Form').getByLabel('name');
    await name.fill('forms');
    await name.press('Enter');
    await expect(cell.locator('.jp-OutputArea-output')).toHaveText(
      'hello forms',
      { timeout: 30000 }
    );
    expect(await sourceOf(page, 1)).toContain('name = "forms" # @param');

    await page.evaluate(async () => {
      await window.jupyterapp.commands.execute('settingeditor:open', {
        query: 'Forms'
      });
    });
    const enabled = page.getByRole('checkbox', {
      name: 'Show forms for annotated cells'
    });
    await enabled.uncheck();
    await page.activity.activateTab(NOTEBOOK);
    await expect(page.locator('.jp-colab-Form')).toHaveCount(0);
    await expect(
      page.locator('.jp-Notebook .jp-InputArea-editor').first()
    ).toBeVisible();
    await page.activity.activateTab('Settings');
    await enabled.check();
    await page.activity.activateTab(NOTEBOOK);
    await expect(page.locator('.jp-colab-Form')).toHaveCount(2);
  });
});
