/**
 * Small DOM helpers for the GitHub dialogs' forms: labelled fields with stable class names
 * (the browser tests find fields by their label), styled by JupyterLab's own classes.
 */

/** A labelled row holding `control`. */
export function field(
  label: string,
  control: HTMLElement,
  hint?: string
): HTMLLabelElement {
  const row = document.createElement('label');
  row.className = 'jp-colab-GitHub-field';
  const title = document.createElement('span');
  title.className = 'jp-colab-GitHub-label';
  title.textContent = label;
  row.append(title, control);
  if (hint) {
    const small = document.createElement('small');
    small.className = 'jp-colab-GitHub-hint';
    small.textContent = hint;
    row.append(small);
  }
  return row;
}

export function textInput(
  value = '',
  placeholder = '',
  type = 'text'
): HTMLInputElement {
  const input = document.createElement('input');
  input.type = type;
  input.className = 'jp-mod-styled jp-colab-GitHub-input';
  input.value = value;
  input.placeholder = placeholder;
  input.spellcheck = false;
  return input;
}

export function checkbox(
  label: string,
  checked = false
): [HTMLLabelElement, HTMLInputElement] {
  const row = document.createElement('label');
  row.className = 'jp-colab-GitHub-check';
  const input = document.createElement('input');
  input.type = 'checkbox';
  input.checked = checked;
  row.append(input, document.createTextNode(' ' + label));
  return [row, input];
}

export function select(options: string[], value = ''): HTMLSelectElement {
  const element = document.createElement('select');
  element.className = 'jp-mod-styled jp-colab-GitHub-input';
  setOptions(element, options, value);
  return element;
}

export function setOptions(
  element: HTMLSelectElement,
  options: string[],
  value = ''
): void {
  element.replaceChildren(
    ...options.map(option => {
      const item = document.createElement('option');
      item.value = option;
      item.textContent = option;
      return item;
    })
  );
  if (options.includes(value)) {
    element.value = value;
  }
}

export function paragraph(text: string, className = ''): HTMLParagraphElement {
  const element = document.createElement('p');
  element.className = className || 'jp-colab-GitHub-note';
  element.textContent = text;
  return element;
}

export function link(text: string, href: string): HTMLAnchorElement {
  const element = document.createElement('a');
  element.href = href;
  element.target = '_blank';
  element.rel = 'noopener noreferrer';
  element.textContent = text;
  return element;
}

/** An inline message area for problems found while the dialog is open. */
export function problemArea(): HTMLDivElement {
  const element = document.createElement('div');
  element.className = 'jp-colab-GitHub-problem';
  element.setAttribute('role', 'alert');
  return element;
}
