import { expect, test } from '@jupyterlab/galata';

import { openNewNotebook } from './support/sessions';

const NOTEBOOK = 'colab-output.ipynb';

/** A register_callback and an HTML output whose button calls it, as Colab notebooks do. */
// No indented lines: the editor indents typed lines itself.
const CALLBACK_CELL = `import IPython
from google.colab import output
add_one = lambda x: IPython.display.JSON({'result': x + 1})
output.register_callback('notebook.AddOne', add_one)
IPython.display.display(IPython.display.HTML('''
<button id="add-one">Add one to 41</button> <span id="add-one-result"></span>
<script>
document.querySelector('#add-one').onclick = async () => {
const result = await google.colab.kernel.invokeFunction('notebook.AddOne', [41], {});
document.querySelector('#add-one-result').textContent = 'got ' + result.data['application/json'].result;
};
</script>
'''))`;

test.describe('google.colab.output', () => {
  test('eval_js answers from the page; invokeFunction calls a registered callback', async ({
    page,
    tmpPath
  }, testInfo) => {
    await openNewNotebook(page, tmpPath, NOTEBOOK);
    const output = (index: number) =>
      page.locator('.jp-Cell').nth(index).locator('.jp-OutputArea');

    await page.notebook.setCell(
      0,
      'code',
      'from google.colab import output\nprint(output.eval_js("1 + 2"))'
    );
    await page.notebook.runCell(0, true);
    await expect(output(0)).toHaveText('3');

    await page.notebook.addCell(
      'code',
      "print('title:', output.eval_js('document.title'))\n" +
        "print('awaited:', output.eval_js('new Promise(r => setTimeout(() => r({a: [1]}), 200))'))"
    );
    await page.notebook.runCell(1, true);
    const title = await page.title();
    expect(title.length).toBeGreaterThan(0);
    await expect(output(1)).toContainText(`title: ${title}`);
    await expect(output(1)).toContainText("awaited: {'a': [1]}");

    await page.notebook.addCell('code', "output.eval_js('nope()')");
    await page.notebook.runCell(2, true);
    await expect(output(2)).toContainText(
      'MessageError: ReferenceError: nope is not defined'
    );

    await page.notebook.addCell('code', CALLBACK_CELL);
    await page.notebook.runCell(3, true);
    await page.locator('#add-one').click();
    await expect(page.locator('#add-one-result')).toHaveText('got 42');
    const shot = testInfo.outputPath('colab-output.png');
    await page.screenshot({ path: shot });
    await testInfo.attach('colab-output', { path: shot });
  });
});
