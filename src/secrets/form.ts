/**
 * The Secrets panel's building blocks: small DOM helpers, and the add / edit form (name, value,
 * and for a new secret the open notebook's access), whose name is checked as it is typed.
 */
import { PathExt } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { LabIcon } from '@jupyterlab/ui-components';

import { ISecret } from './api';

/** An element with a class and optional text. */
export function el<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  className: string,
  text?: string
): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  node.className = className;
  if (text !== undefined) {
    node.textContent = text;
  }
  return node;
}

export function iconButton(
  icon: LabIcon,
  label: string,
  onClick: () => void
): HTMLButtonElement {
  const button = el('button', 'jp-colab-Secrets-iconButton');
  button.type = 'button';
  button.title = label;
  button.setAttribute('aria-label', label);
  icon.element({ container: button, tag: 'span' });
  button.addEventListener('click', onClick);
  return button;
}

/** The editing form's state: an add form (no `secret`) or an edit form. */
export interface ISecretForm {
  secret: ISecret | null;
  name: string;
  value: string;
  access: boolean;
  error: string | null;
  busy: boolean;
}

/** What the form asks of the panel. */
export interface ISecretFormActions {
  /** Why the form's name cannot be used, or null. */
  problem(form: ISecretForm): string | null;
  save(form: ISecretForm): void;
  cancel(): void;
}

export function renderSecretForm(
  form: ISecretForm,
  notebook: string | null,
  trans: TranslationBundle,
  actions: ISecretFormActions
): HTMLLIElement {
  const row = el('li', 'jp-colab-Secrets-form');
  const editing = form.secret !== null;
  row.setAttribute(
    'aria-label',
    editing ? trans.__('Edit %1', form.secret!.name) : trans.__('New secret')
  );

  const field = (
    name: 'name' | 'value',
    label: string,
    placeholder: string
  ): HTMLInputElement => {
    const wrapper = el('label', 'jp-colab-Secrets-field');
    wrapper.appendChild(el('span', '', label));
    const input = el('input', 'jp-mod-styled');
    input.name = name;
    input.type = name === 'value' ? 'password' : 'text';
    input.autocomplete = 'off';
    input.spellcheck = false;
    input.placeholder = placeholder;
    input.value = form[name];
    input.addEventListener('input', () => {
      form[name] = input.value;
      if (name === 'name') {
        form.error = actions.problem(form);
        error.textContent = form.error ?? '';
        input.setAttribute('aria-invalid', String(form.error !== null));
      }
    });
    input.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        actions.save(form);
      } else if (event.key === 'Escape') {
        actions.cancel();
      }
    });
    wrapper.appendChild(input);
    row.appendChild(wrapper);
    return input;
  };
  field('name', trans.__('Name'), 'HF_TOKEN');
  field(
    'value',
    trans.__('Value'),
    editing && form.value === ''
      ? trans.__('(unchanged)')
      : trans.__('Paste the value')
  );

  if (!editing && notebook) {
    const access = el('label', 'jp-colab-Secrets-check');
    const box = el('input', '');
    box.type = 'checkbox';
    box.name = 'access';
    box.checked = form.access;
    box.addEventListener('change', () => {
      form.access = box.checked;
    });
    access.appendChild(box);
    access.appendChild(
      document.createTextNode(
        trans.__('Give %1 access', PathExt.basename(notebook))
      )
    );
    row.appendChild(access);
  }

  const error = el('p', 'jp-colab-Secrets-fieldError', form.error ?? '');
  error.setAttribute('role', 'alert');
  row.appendChild(error);

  const buttons = el('div', 'jp-colab-Secrets-formButtons');
  const cancel = el(
    'button',
    'jp-Button jp-mod-styled jp-mod-reject',
    trans.__('Cancel')
  );
  cancel.type = 'button';
  cancel.addEventListener('click', () => actions.cancel());
  const save = el(
    'button',
    'jp-Button jp-mod-styled jp-mod-accept',
    trans.__('Save')
  );
  save.type = 'button';
  save.disabled = form.busy;
  save.addEventListener('click', () => actions.save(form));
  buttons.append(cancel, save);
  row.appendChild(buttons);
  return row;
}
