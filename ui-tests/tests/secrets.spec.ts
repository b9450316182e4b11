import { expect, IJupyterLabPageFixture, test } from '@jupyterlab/galata';

import { openNewNotebook } from './support/sessions';

const NOTEBOOK = 'secrets-demo.ipynb';

async function shoot(
  page: IJupyterLabPageFixture,
  testInfo: any,
  name: string,
  target: string
): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.locator(target).first().screenshot({ path });
  await testInfo.attach(name, { path });
}

/** Light, then dark, then back to light. */
async function shootBoth(
  page: IJupyterLabPageFixture,
  testInfo: any,
  name: string,
  target: string
): Promise<void> {
  await shoot(page, testInfo, name, target);
  await page.theme.setDarkTheme();
  await shoot(page, testInfo, `${name}-dark`, target);
  await page.theme.setLightTheme();
}

test.describe('Secrets', () => {
  test('add a secret, grant the notebook access, read it with userdata.get, delete it', async ({
    page,
    tmpPath
  }, testInfo) => {
    // The galata server keeps the user's data between runs: names of this run only.
    const run = Date.now().toString(36).toUpperCase();
    const name = `HF_TOKEN_${run}`;
    const value = `hf_galata_${run.toLowerCase()}`;
    const prompted = `API_KEY_${run}`;
    const promptedValue = `sk-prompted-${run.toLowerCase()}`;

    await openNewNotebook(page, tmpPath, NOTEBOOK);

    // The key icon opens the Secrets panel, naming the notebook in front.
    const tab = page.locator('.jp-SideBar [data-id="colab-ext-secrets"]');
    await expect(tab).toBeVisible();
    await tab.click();
    const panel = page.locator('.jp-colab-Secrets');
    await expect(panel).toContainText(`Notebook access for ${NOTEBOOK}`);

    // Add: a name Colab would refuse says why, inline.
    await panel.getByRole('button', { name: 'Add new secret' }).click();
    const form = panel.locator('.jp-colab-Secrets-form');
    await form.locator('input[name="name"]').fill('1st-key');
    await expect(form.locator('.jp-colab-Secrets-fieldError')).toHaveText(
      'A name must not start with a digit.'
    );
    await form.locator('input[name="name"]').fill('my-key');
    await expect(form.locator('.jp-colab-Secrets-fieldError')).toContainText(
      'only letters, digits and underscores (_), not "-"'
    );
    await shootBoth(page, testInfo, 'secrets-name-error', '.jp-colab-Secrets');
    await form.locator('input[name="name"]').fill(name);
    await form.locator('input[name="value"]').fill(`${value}_first`);
    await form.getByRole('button', { name: 'Save' }).click();

    const row = panel.locator(`.jp-colab-Secrets-row[data-name="${name}"]`);
    await expect(row).toBeVisible();
    // The value is not in the page until asked for.
    await expect(row.locator('.jp-colab-Secrets-value')).toHaveText(
      '\u2022'.repeat(10)
    );
    expect(await page.content()).not.toContain(value);
    await row.getByRole('button', { name: `Show value of ${name}` }).click();
    await expect(row.locator('.jp-colab-Secrets-value')).toHaveText(
      `${value}_first`
    );
    await row.getByRole('button', { name: `Hide value of ${name}` }).click();
    await expect(row.locator('.jp-colab-Secrets-value')).toHaveText(
      '\u2022'.repeat(10)
    );

    // Edit: a new value replaces the old one (the name stays).
    await row.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = panel.locator('.jp-colab-Secrets-form');
    await expect(edit.locator('input[name="name"]')).toHaveValue(name);
    await edit.locator('input[name="value"]').fill(value);
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(row).toBeVisible();
    await row.getByRole('button', { name: `Show value of ${name}` }).click();
    await expect(row.locator('.jp-colab-Secrets-value')).toHaveText(value);
    await shoot(page, testInfo, 'secrets-shown', '.jp-colab-Secrets');
    await row.getByRole('button', { name: `Hide value of ${name}` }).click();

    // Switch access on for the open notebook.
    const access = row.getByRole('switch', {
      name: `Notebook access to ${name}`
    });
    await expect(access).toHaveAttribute('aria-checked', 'false');
    await access.click();
    await expect(access).toHaveAttribute('aria-checked', 'true');
    await shootBoth(page, testInfo, 'secrets-panel', '.jp-colab-Secrets');

    // A real kernel reads it.
    await page.notebook.setCell(
      0,
      'code',
      `from google.colab import userdata\nprint(userdata.get('${name}'))`
    );
    await page.notebook.runCell(0, true);
    expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(
      value
    );

    // A secret the notebook has no access to: the page asks, as Colab does.
    await panel.getByRole('button', { name: 'Add new secret' }).click();
    await form.locator('input[name="name"]').fill(prompted);
    await form.locator('input[name="value"]').fill(promptedValue);
    await form.getByRole('button', { name: 'Save' }).click();
    const promptedRow = panel.locator(
      `.jp-colab-Secrets-row[data-name="${prompted}"]`
    );
    await expect(promptedRow.getByRole('switch')).toHaveAttribute(
      'aria-checked',
      'false'
    );
    await page.notebook.activate(NOTEBOOK);
    await page.notebook.addCell('code', `print(userdata.get('${prompted}'))`);
    const running = page.notebook.runCell(1);
    const dialog = page.locator('.jp-colab-SecretsPromptDialog');
    await expect(dialog).toBeVisible({ timeout: 30000 });
    await expect(dialog).toContainText(
      `Grant ${NOTEBOOK} access to secret ${prompted}?`
    );
    await shootBoth(page, testInfo, 'secrets-prompt', '.jp-Dialog-content');
    await dialog.getByRole('button', { name: 'Grant access' }).click();
    await running;
    await expect
      .poll(async () => (await page.notebook.getCellTextOutput(1))?.join(''))
      .toContain(promptedValue);
    await expect(promptedRow.getByRole('switch')).toHaveAttribute(
      'aria-checked',
      'true'
    );
    // Nothing of the values went into the notebook's file but the printed outputs.
    await page.notebook.save();

    // Delete both, with a confirmation.
    for (const secret of [name, prompted]) {
      await panel.getByRole('button', { name: `Delete ${secret}` }).click();
      const confirm = page.locator('.jp-Dialog');
      await expect(confirm).toContainText(`Delete secret ${secret}?`);
      await confirm
        .getByRole('button', { name: 'Delete', exact: true })
        .click();
      await expect(
        panel.locator(`.jp-colab-Secrets-row[data-name="${secret}"]`)
      ).toHaveCount(0);
    }
    await page.notebook.activate(NOTEBOOK);
    await page.notebook.setCell(
      0,
      'code',
      `try:\n    userdata.get('${name}')\nexcept userdata.SecretNotFoundError as e:\n    print('gone:', e)`
    );
    await page.notebook.runCell(0);
    expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(
      `gone: Secret ${name} does not exist.`
    );
  });

  test('Deny fails userdata.get as Colab does; a page opened while it waits still asks', async ({
    page,
    tmpPath
  }) => {
    test.setTimeout(180000);
    const run = Date.now().toString(36).toUpperCase();
    const denied = `DENIED_${run}`;
    const later = `LATER_${run}`;
    for (const name of [denied, later]) {
      await page.evaluate(
        async ([secret, value]) => {
          const xsrf = document.cookie.match(/_xsrf=([^;]+)/)?.[1] ?? '';
          const answer = await fetch('/colab/secrets/names', {
            method: 'POST',
            headers: {
              'X-XSRFToken': xsrf,
              'Content-Type': 'application/json'
            },
            body: JSON.stringify({ name: secret, value })
          });
          if (!answer.ok) {
            throw new Error(`${answer.status} ${await answer.text()}`);
          }
        },
        [name, `value-of-${name.toLowerCase()}`]
      );
    }
    await openNewNotebook(page, tmpPath, NOTEBOOK);
    const dialog = page.locator('.jp-colab-SecretsPromptDialog');

    // Deny: Colab's NotebookAccessError, and the notebook still has no access.
    await page.notebook.setCell(
      0,
      'code',
      `from google.colab import userdata\ntry:\n    userdata.get('${denied}')\nexcept userdata.NotebookAccessError as e:\n    print('refused:', e)`
    );
    const first = page.notebook.runCell(0);
    await expect(dialog).toBeVisible({ timeout: 30000 });
    await dialog.getByRole('button', { name: 'Deny' }).click();
    await first;
    await expect
      .poll(async () => (await page.notebook.getCellTextOutput(0))?.join(''))
      .toContain(`refused: `);
    expect((await page.notebook.getCellTextOutput(0))?.join('')).toContain(
      denied
    );

    // The page goes away while the kernel waits; the one loaded next asks all the same.
    const cells = await page.notebook.getCellCount();
    await page.notebook.addCell('code', `print(userdata.get('${later}'))`);
    await page.notebook.runCell(cells, { inplace: true, wait: false });
    await expect(dialog).toBeVisible({ timeout: 30000 });
    // A plain reload (Galata's waits for an active tab, which the prompt's modal dialog holds).
    await page.evaluate(() => window.location.reload());
    // JupyterLab reopens the notebook; its page asks for what the kernel still waits on.
    await expect(dialog).toBeVisible({ timeout: 30000 });
    await expect(dialog).toContainText(`access to secret ${later}?`);
    await dialog.getByRole('button', { name: 'Grant access' }).click();
    await expect(dialog).toHaveCount(0);
    // The waiting call got its answer (its output went to the page that is gone): the
    // notebook now reads the secret without being asked.
    await page.notebook.activate(NOTEBOOK);
    await page.notebook.addCell('code', `print(userdata.get('${later}'))`);
    const last = (await page.notebook.getCellCount()) - 1;
    await page.notebook.runCell(last);
    await expect(dialog).toHaveCount(0);
    expect(
      (await page.notebook.getCellTextOutput(last))?.join('') ?? ''
    ).toContain(`value-of-${later.toLowerCase()}`);
  });
});
