/**
 * The Secrets panel's content: each secret with its notebook-access switch (for the notebook in
 * front), its value hidden until "show" is clicked, edit and delete; and a form to add one.
 * Loaded lazily by the plugin the first time the panel is shown.
 */
import { Dialog, showDialog } from '@jupyterlab/apputils';
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { addIcon, deleteIcon, editIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

import { ISecret, SecretsApi } from './api';
import { el, iconButton, ISecretForm, renderSecretForm } from './form';
import { eyeIcon, eyeOffIcon } from './icon';
import { HIDDEN_VALUE, secretNameProblem } from './names';

export class SecretsView extends Widget {
  constructor(
    private readonly api: SecretsApi,
    private readonly trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-colab-Secrets');
    this.render();
  }

  /** The notebook whose access the switches show (the one in front), or null. */
  get notebook(): string | null {
    return this._notebook;
  }

  set notebook(path: string | null) {
    if (path === this._notebook) {
      return;
    }
    this._notebook = path;
    void this.refresh();
  }

  /** Read the list again (values are forgotten: they are shown only when asked for again). */
  async refresh(): Promise<void> {
    const asked = this._notebook;
    try {
      const secrets = await this.api.list(asked);
      if (asked !== this._notebook) {
        return; // the user moved on to another notebook meanwhile
      }
      this._secrets = secrets;
      this._error = null;
    } catch (error) {
      this._error = (error as Error).message;
    }
    this._loaded = true;
    this._shown.clear();
    this.render();
  }

  protected onAfterShow(): void {
    void this.refresh();
  }

  protected onAfterHide(): void {
    // Nothing shown stays on screen, or in the page, once the panel is closed.
    this._shown.clear();
    this.render();
  }

  private render(): void {
    const trans = this.trans;
    const node = this.node;
    node.replaceChildren();

    node.appendChild(el('h2', 'jp-colab-Secrets-title', trans.__('Secrets')));
    node.appendChild(
      el(
        'p',
        'jp-colab-Secrets-intro',
        trans.__(
          'Keep API keys and tokens here, not in notebooks. Values stay on the server, visible ' +
            'only to you and to the notebooks you give access.'
        )
      )
    );
    const target = el('p', 'jp-colab-Secrets-notebook');
    target.textContent = this._notebook
      ? trans.__('Notebook access for %1', PathExt.basename(this._notebook))
      : trans.__('Open a notebook to give it access.');
    if (this._notebook) {
      target.title = this._notebook;
    }
    node.appendChild(target);

    if (this._error) {
      const error = el('p', 'jp-colab-Secrets-error', this._error);
      error.setAttribute('role', 'alert');
      node.appendChild(error);
    }

    const list = el('ul', 'jp-colab-Secrets-list');
    list.setAttribute('aria-label', trans.__('Secrets'));
    for (const secret of this._secrets) {
      list.appendChild(
        this._form?.secret?.name === secret.name
          ? renderSecretForm(
              this._form,
              this._notebook,
              trans,
              this._formActions
            )
          : this.renderSecret(secret)
      );
    }
    if (this._form && this._form.secret === null) {
      list.appendChild(
        renderSecretForm(this._form, this._notebook, trans, this._formActions)
      );
    }
    if (this._loaded && this._secrets.length === 0 && !this._form) {
      list.appendChild(
        el('li', 'jp-colab-Secrets-empty', trans.__('No secrets yet.'))
      );
    }
    node.appendChild(list);

    const add = el('button', 'jp-colab-Secrets-add jp-Button jp-mod-styled');
    add.type = 'button';
    addIcon.element({ container: add, tag: 'span' });
    add.appendChild(document.createTextNode(trans.__('Add new secret')));
    add.disabled = this._form !== null;
    add.addEventListener('click', () => {
      this._form = {
        secret: null,
        name: '',
        value: '',
        access: false,
        error: null,
        busy: false
      };
      this.render();
      this.node.querySelector<HTMLInputElement>('input[name="name"]')?.focus();
    });
    node.appendChild(add);

    const usage = el('p', 'jp-colab-Secrets-usage');
    usage.appendChild(
      document.createTextNode(trans.__('In a notebook with access:') + ' ')
    );
    usage.appendChild(
      el('code', '', "from google.colab import userdata\nuserdata.get('NAME')")
    );
    node.appendChild(usage);
  }

  private renderSecret(secret: ISecret): HTMLLIElement {
    const trans = this.trans;
    const row = el('li', 'jp-colab-Secrets-row');
    row.dataset.name = secret.name;

    const toggle = el('button', 'jp-switch jp-colab-Secrets-access');
    toggle.type = 'button';
    toggle.setAttribute('role', 'switch');
    toggle.setAttribute('aria-checked', String(secret.access));
    toggle.setAttribute(
      'aria-label',
      trans.__('Notebook access to %1', secret.name)
    );
    toggle.title = this._notebook
      ? secret.access
        ? trans.__('%1 may read this secret', PathExt.basename(this._notebook))
        : trans.__('Let %1 read this secret', PathExt.basename(this._notebook))
      : trans.__('Open a notebook to give it access');
    toggle.disabled = this._notebook === null;
    const track = el('div', 'jp-switch-track');
    track.setAttribute('aria-hidden', 'true');
    toggle.appendChild(track);
    toggle.addEventListener('click', () => void this.toggle(secret));
    row.appendChild(toggle);

    // Name above value: the sidebar is narrow, and a name cut short is no name.
    const text = el('div', 'jp-colab-Secrets-text');
    const label = el('span', 'jp-colab-Secrets-name', secret.name);
    label.title = secret.name;
    text.appendChild(label);
    const shown = this._shown.get(secret.name);
    const value = el(
      'span',
      'jp-colab-Secrets-value',
      shown === undefined ? HIDDEN_VALUE : shown
    );
    value.classList.toggle('jp-mod-shown', shown !== undefined);
    text.appendChild(value);
    row.appendChild(text);

    row.appendChild(
      shown === undefined
        ? iconButton(
            eyeIcon,
            trans.__('Show value of %1', secret.name),
            () => void this.reveal(secret.name)
          )
        : iconButton(
            eyeOffIcon,
            trans.__('Hide value of %1', secret.name),
            () => {
              this._shown.delete(secret.name);
              this.render();
            }
          )
    );
    row.appendChild(
      iconButton(editIcon, trans.__('Edit %1', secret.name), () => {
        this._form = {
          secret,
          name: secret.name,
          value: this._shown.get(secret.name) ?? '',
          access: secret.access,
          error: null,
          busy: false
        };
        this.render();
      })
    );
    row.appendChild(
      iconButton(
        deleteIcon,
        trans.__('Delete %1', secret.name),
        () => void this.remove(secret.name)
      )
    );
    return row;
  }

  private nameProblem(form: ISecretForm): string | null {
    const taken = this._secrets
      .map(secret => secret.name)
      .filter(name => name !== form.secret?.name);
    const problem = secretNameProblem(form.name, taken);
    return problem === null ? null : this.trans.__(problem);
  }

  private async save(form: ISecretForm): Promise<void> {
    form.error = this.nameProblem(form);
    if (form.error === null && form.secret === null && form.value === '') {
      form.error = this.trans.__('Give the secret a value.');
    }
    if (form.error !== null || form.busy) {
      this.render();
      return;
    }
    form.busy = true;
    try {
      if (form.secret === null) {
        await this.api.add(form.name, form.value, this._notebook, form.access);
      } else {
        const change: { name?: string; value?: string } = {};
        if (form.name !== form.secret.name) {
          change.name = form.name;
        }
        if (form.value !== '') {
          change.value = form.value;
        }
        if (change.name !== undefined || change.value !== undefined) {
          await this.api.edit(form.secret.name, change);
        }
      }
      this._form = null;
      await this.refresh();
    } catch (error) {
      form.busy = false;
      form.error = (error as Error).message;
      this.render();
    }
  }

  private async toggle(secret: ISecret): Promise<void> {
    if (!this._notebook) {
      return;
    }
    try {
      await this.api.setAccess(secret.name, this._notebook, !secret.access);
      secret.access = !secret.access;
      this._error = null;
    } catch (error) {
      this._error = (error as Error).message;
    }
    this.render();
  }

  private async reveal(name: string): Promise<void> {
    try {
      this._shown.set(name, await this.api.show(name));
      this._error = null;
    } catch (error) {
      this._error = (error as Error).message;
    }
    this.render();
  }

  private async remove(name: string): Promise<void> {
    const answer = await showDialog({
      title: this.trans.__('Delete secret %1?', name),
      body: this.trans.__(
        'Notebooks that read it with userdata.get will get SecretNotFoundError. This cannot be undone.'
      ),
      buttons: [
        Dialog.cancelButton({ label: this.trans.__('Cancel') }),
        Dialog.warnButton({ label: this.trans.__('Delete') })
      ]
    });
    if (!answer.button.accept) {
      return;
    }
    try {
      await this.api.delete(name);
      await this.refresh();
    } catch (error) {
      this._error = (error as Error).message;
      this.render();
    }
  }

  private readonly _formActions = {
    problem: (form: ISecretForm) => this.nameProblem(form),
    save: (form: ISecretForm) => void this.save(form),
    cancel: () => {
      this._form = null;
      this.render();
    }
  };
  private _notebook: string | null = null;
  private _secrets: ISecret[] = [];
  private _shown = new Map<string, string>();
  private _form: ISecretForm | null = null;
  private _error: string | null = null;
  private _loaded = false;
}
