/**
 * The Share dialog: outputs or not, when the link expires, a label; then the link, copied and
 * shown once. Also the way to a public Gist / nbviewer copy through the GitHub feature.
 * Loaded lazily by the share plugin.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import {
  Clipboard,
  Dialog,
  Notification,
  showDialog,
  showErrorMessage
} from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { ShareApi } from './api';
import {
  describeExpiry,
  ExpiryUnit,
  expirySeconds,
  INewShareLink,
  IShareOptions
} from './links';

/** What the share command hands the dialog. */
export interface IShareDialogOptions {
  app: JupyterFrontEnd;
  trans: TranslationBundle;
  api: ShareApi;
  /** The notebook, relative to the server root. */
  path: string;
  /** Saves the open notebook if it has unsaved changes; null when it is not open. */
  save: (() => Promise<void>) | null;
  /** The GitHub feature's command that saves a notebook as a Gist. */
  gistCommand: string;
  /** Opens the Shared links panel. */
  showPanel: () => Promise<void>;
}

/** What the GitHub feature's Gist command resolves to. */
interface IGistResult {
  html_url: string;
  nbviewer_url: string;
}

/** Ask how to share, make the link, and show it. */
export async function showShareDialog(
  options: IShareDialogOptions
): Promise<void> {
  const { app, trans, path } = options;
  const gistAvailable = app.commands.hasCommand(options.gistCommand);
  const form = new ShareForm(trans, gistAvailable);
  const dialog = new Dialog({
    title: trans.__('Share “%1”', PathExt.basename(path)),
    body: form,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Cancel') }),
      Dialog.okButton({ label: trans.__('Create link') })
    ],
    focusNodeSelector: 'input[name="label"]'
  });
  let choseGist = false;
  form.onGist = () => {
    choseGist = true;
    dialog.resolve(0);
  };
  const result = await dialog.launch();
  if (choseGist) {
    await shareAsGist(options);
    return;
  }
  if (!result.button.accept) {
    return;
  }
  let request: IShareOptions;
  try {
    request = { path, ...form.choices() };
  } catch (error) {
    await showErrorMessage(trans.__('Share'), error as Error);
    return;
  }
  let link: INewShareLink;
  try {
    await options.save?.();
    link = await options.api.create(request);
  } catch (error) {
    await showErrorMessage(
      trans.__('The link could not be made'),
      error as Error
    );
    return;
  }
  await showNewLink(link, options);
}

/** The dialog's form. */
class ShareForm extends Widget {
  /** Called when the user picks the Gist / nbviewer way instead. */
  onGist: () => void = () => undefined;

  constructor(trans: TranslationBundle, gistAvailable: boolean) {
    super();
    this.addClass('jp-colab-ShareForm');
    this.node.innerHTML = `
      <p class="jp-colab-ShareForm-about"></p>
      <label class="jp-colab-ShareForm-row">
        <input type="checkbox" name="include_outputs" checked />
        <span data-text="outputs"></span>
      </label>
      <div class="jp-colab-ShareForm-row">
        <span data-text="expires"></span>
        <input type="number" name="expiry_amount" min="1" step="1" value="7" />
        <select name="expiry_unit" class="jp-mod-styled">
          <option value="hours"></option>
          <option value="days" selected></option>
          <option value="never"></option>
        </select>
      </div>
      <label class="jp-colab-ShareForm-row">
        <span data-text="label"></span>
        <input type="text" name="label" maxlength="200" />
      </label>
      <hr />
      <div class="jp-colab-ShareForm-gist">
        <button type="button" class="jp-Button jp-mod-styled" name="gist"></button>
        <span class="jp-colab-ShareForm-hint"></span>
      </div>`;
    this.text(
      '.jp-colab-ShareForm-about',
      trans.__(
        'Anyone with the link can read this notebook, as last saved, and download it — without an account on this server. The link opens nothing else: no other file, no kernel.'
      )
    );
    this.text('[data-text="outputs"]', trans.__('Include outputs'));
    this.text('[data-text="expires"]', trans.__('Expires after'));
    this.text('[data-text="label"]', trans.__('Label'));
    this.text('option[value="hours"]', trans.__('hours'));
    this.text('option[value="days"]', trans.__('days'));
    this.text('option[value="never"]', trans.__('never expires'));
    this.input('label').placeholder = trans.__('Who it is for (optional)');
    const unit = this.select('expiry_unit');
    unit.addEventListener('change', () => {
      this.input('expiry_amount').disabled = unit.value === 'never';
    });
    const gist = this.node.querySelector<HTMLButtonElement>(
      'button[name="gist"]'
    )!;
    gist.textContent = trans.__('Gist / nbviewer…');
    gist.disabled = !gistAvailable;
    gist.addEventListener('click', () => this.onGist());
    this.text(
      '.jp-colab-ShareForm-hint',
      gistAvailable
        ? trans.__('A public copy on GitHub instead, viewable on nbviewer.')
        : trans.__(
            'A public copy on GitHub needs the GitHub feature, connected to your account.'
          )
    );
  }

  /** The choices as the server takes them. @throws {Error} on an unusable expiry. */
  choices(): Omit<IShareOptions, 'path'> {
    const unit = this.select('expiry_unit').value as ExpiryUnit;
    return {
      include_outputs: this.input('include_outputs').checked,
      expires_in_s: expirySeconds(
        Number(this.input('expiry_amount').value),
        unit
      ),
      label: this.input('label').value.trim()
    };
  }

  private input(name: string): HTMLInputElement {
    return this.node.querySelector<HTMLInputElement>(`input[name="${name}"]`)!;
  }

  private select(name: string): HTMLSelectElement {
    return this.node.querySelector<HTMLSelectElement>(
      `select[name="${name}"]`
    )!;
  }

  private text(selector: string, text: string): void {
    this.node.querySelector(selector)!.textContent = text;
  }
}

/** Show a new link, copied to the clipboard; it is the one time its URL is known. */
async function showNewLink(
  link: INewShareLink,
  { trans, showPanel }: IShareDialogOptions
): Promise<void> {
  await copyText(link.url);
  Notification.success(trans.__('Share link copied to the clipboard.'), {
    autoClose: 4000
  });
  const body = new Widget();
  body.addClass('jp-colab-ShareLink');
  const url = document.createElement('input');
  url.type = 'text';
  url.readOnly = true;
  url.value = link.url;
  url.className = 'jp-colab-ShareLink-url';
  url.setAttribute('aria-label', trans.__('Share link'));
  const copy = document.createElement('button');
  copy.className = 'jp-Button jp-mod-styled jp-mod-accept';
  copy.textContent = trans.__('Copy');
  copy.addEventListener('click', async () => {
    await copyText(link.url);
    copy.textContent = trans.__('Copied');
  });
  const row = document.createElement('div');
  row.className = 'jp-colab-ShareLink-row';
  row.append(url, copy);
  const note = document.createElement('p');
  note.textContent = [
    link.include_outputs
      ? trans.__('Shows the notebook with its outputs.')
      : trans.__('Shows the notebook without outputs.'),
    link.expires_at === null
      ? trans.__('Never expires.')
      : trans.__(
          'Expires %1.',
          describeExpiry(link.expires_at, Date.now() / 1000)
        ),
    trans.__(
      'This is the only time the link is shown; revoke it any time in Shared Links.'
    )
  ].join(' ');
  body.node.append(row, note);
  const result = await showDialog({
    title: trans.__('Link copied'),
    body,
    buttons: [
      Dialog.cancelButton({ label: trans.__('Shared Links') }),
      Dialog.okButton({ label: trans.__('Done') })
    ]
  });
  if (!result.button.accept) {
    await showPanel();
  }
}

/** Save a public copy through the GitHub feature, and show where it went. */
async function shareAsGist({
  app,
  trans,
  path,
  save,
  gistCommand
}: IShareDialogOptions): Promise<void> {
  let result: IGistResult | undefined;
  try {
    await save?.();
    result = (await app.commands.execute(gistCommand, { path })) as
      IGistResult | undefined;
  } catch (error) {
    await showErrorMessage(
      trans.__('The Gist could not be saved'),
      error as Error
    );
    return;
  }
  if (!result) {
    return; // the user cancelled in the GitHub feature's own dialog
  }
  const body = new Widget();
  body.addClass('jp-colab-ShareLink');
  for (const [label, href] of [
    [trans.__('nbviewer'), result.nbviewer_url],
    [trans.__('Gist'), result.html_url]
  ]) {
    const line = document.createElement('p');
    const anchor = document.createElement('a');
    anchor.href = href;
    anchor.target = '_blank';
    anchor.rel = 'noopener noreferrer';
    anchor.textContent = href;
    line.append(`${label}: `, anchor);
    body.node.append(line);
  }
  await copyText(result.nbviewer_url);
  await showDialog({
    title: trans.__('nbviewer link copied'),
    body,
    buttons: [Dialog.okButton({ label: trans.__('Done') })]
  });
}

/**
 * Put `text` on the clipboard. The asynchronous clipboard API works after the awaits that follow
 * the user's click (the old `execCommand` way needs a click just before); it falls back to that
 * way where the API is missing or refused.
 */
async function copyText(text: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    Clipboard.copyToSystem(text);
  }
}
