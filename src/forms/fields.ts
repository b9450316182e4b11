/**
 * One form control per `#@param` kind, in JupyterLab's own form styling (`jp-mod-styled`).
 * Text-like controls commit on `change` (Enter or leaving the field), so typing a word is one
 * edit of the source, and one undo step, rather than one per key.
 */
import { Styling } from '@jupyterlab/ui-components';

import { IParamField } from './parser';

/** A field's control: its row in the form, and a way to show a new value from the source. */
export interface IFieldControl {
  node: HTMLElement;
  /** Show the field's value, unless the user is typing in the control. */
  show(field: IParamField): void;
}

/** Called with a checkbox's state or a control's text; false when the value was refused. */
export type Commit = (input: string | boolean) => boolean;

let nextId = 0;

export function createFieldControl(
  field: IParamField,
  commit: Commit
): IFieldControl {
  const row = document.createElement('div');
  row.className = 'jp-colab-Form-field';
  const id = `jp-colab-Form-field-${++nextId}`;
  const label = document.createElement('label');
  label.className = 'jp-colab-Form-label';
  label.htmlFor = id;
  label.textContent = field.name;
  const control = makeControl(field, id, commit);
  control.element.id = id;
  row.append(label, control.wrapper ?? control.element);
  const show = (next: IParamField) => {
    if (
      document.activeElement !== control.element ||
      !isTyping(control.element)
    ) {
      control.show(next);
    }
  };
  show(field);
  return { node: row, show };
}

/** A text field whose text differs from what the source says: the user is typing in it. */
export function isTyping(
  element: HTMLInputElement | HTMLSelectElement
): boolean {
  return (
    element instanceof HTMLInputElement &&
    element.type !== 'checkbox' &&
    element.type !== 'range' &&
    element.value !== element.defaultValue
  );
}

interface IControl {
  element: HTMLInputElement | HTMLSelectElement;
  wrapper?: HTMLElement;
  show(field: IParamField): void;
}

function makeControl(field: IParamField, id: string, commit: Commit): IControl {
  switch (field.kind) {
    case 'boolean':
      return checkbox(commit);
    case 'slider':
      return slider(field, commit);
    case 'dropdown':
      return field.allowInput
        ? combo(field, id, commit)
        : select(field, commit);
    default:
      return textInput(field, commit);
  }
}

/** Marks a refused value, as JupyterLab's own inputs do, until the next accepted one. */
function commitOn(
  element: HTMLInputElement | HTMLSelectElement,
  commit: Commit,
  read: () => string | boolean
) {
  const apply = () => {
    element.classList.toggle('jp-mod-invalid', !commit(read()));
  };
  element.addEventListener('change', apply);
  // Enter commits a typed value at once (browsers differ on whether Enter fires `change`).
  if (element instanceof HTMLInputElement && element.type !== 'checkbox') {
    element.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        apply();
      }
    });
  }
}

function textInput(field: IParamField, commit: Commit): IControl {
  const input = document.createElement('input');
  input.className = 'jp-mod-styled jp-colab-Form-input';
  input.type = field.kind === 'date' ? 'date' : 'text';
  input.spellcheck = false;
  if (field.kind === 'number' || field.kind === 'integer') {
    input.inputMode = field.kind === 'integer' ? 'numeric' : 'decimal';
  }
  if (field.kind === 'raw') {
    input.classList.add('jp-colab-Form-code');
  }
  if (field.placeholder) {
    input.placeholder = field.placeholder;
  }
  commitOn(input, commit, () => input.value);
  return {
    element: input,
    show: next => {
      // The default value marks what the source says: a different value is the user's typing.
      input.defaultValue = input.value = next.value;
      input.classList.remove('jp-mod-invalid');
    }
  };
}

function checkbox(commit: Commit): IControl {
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.className = 'jp-mod-styled jp-colab-Form-checkbox';
  commitOn(input, commit, () => input.checked);
  return {
    element: input,
    show: next => {
      input.checked = /^true$/i.test(next.text);
    }
  };
}

function slider(field: IParamField, commit: Commit): IControl {
  const wrapper = document.createElement('div');
  wrapper.className = 'jp-colab-Form-slider';
  const input = document.createElement('input');
  input.type = 'range';
  input.min = String(field.min);
  input.max = String(field.max);
  input.step = String(field.step);
  const output = document.createElement('output');
  output.className = 'jp-colab-Form-sliderValue';
  // While dragging, only the number beside the slider follows; the source changes on release.
  input.addEventListener('input', () => {
    output.textContent = input.value;
  });
  commitOn(input, commit, () => input.value);
  wrapper.append(input, output);
  return {
    element: input,
    wrapper,
    show: next => {
      input.value = next.value;
      output.textContent = next.value;
    }
  };
}

function select(field: IParamField, commit: Commit): IControl {
  const element = document.createElement('select');
  element.className = 'jp-colab-Form-select';
  // JupyterLab's own select look: its wrapper draws the caret and the focus ring.
  const wrapper = Styling.wrapSelect(element);
  wrapper.classList.add('jp-colab-Form-selectWrapper');
  commitOn(element, commit, () => element.value);
  return {
    element,
    wrapper,
    show: next => {
      const values = (next.items ?? []).map(item => item.value);
      // A value that is not in the list is still shown, as the source says it.
      if (!values.includes(next.value)) {
        values.unshift(next.value);
      }
      element.replaceChildren(...values.map(value => new Option(value, value)));
      element.value = next.value;
    }
  };
}

function combo(field: IParamField, id: string, commit: Commit): IControl {
  const wrapper = document.createElement('div');
  wrapper.className = 'jp-colab-Form-combo';
  const input = document.createElement('input');
  input.className = 'jp-mod-styled jp-colab-Form-input';
  input.spellcheck = false;
  const list = document.createElement('datalist');
  list.id = `${id}-items`;
  input.setAttribute('list', list.id);
  commitOn(input, commit, () => input.value);
  wrapper.append(input, list);
  return {
    element: input,
    wrapper,
    show: next => {
      list.replaceChildren(
        ...(next.items ?? []).map(item => new Option(item.value))
      );
      input.defaultValue = input.value = next.value;
    }
  };
}
