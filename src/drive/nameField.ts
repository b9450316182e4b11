/**
 * The "File name in Drive" field of the Save a copy picker: checked as it is typed, with the
 * reason shown under it. It marks itself `jp-mod-error` while the name is refused, which is how
 * JupyterLab's Dialog knows to disable its accept button and to ignore Enter.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

import { cleanName, describeProblem, nameProblem } from './names';

export class DriveNameField {
  /** The field, its label and its message, to add to the picker. */
  readonly node = document.createElement('div');
  private readonly _input = document.createElement('input');
  private readonly _problem = document.createElement('div');

  constructor(
    initial: string,
    private readonly _trans: TranslationBundle
  ) {
    this.node.className = 'jp-colab-DriveName';
    const label = document.createElement('label');
    label.className = 'jp-colab-DriveName-label';
    label.textContent = _trans.__('File name in Drive');
    label.htmlFor = this._input.id = `jp-colab-DriveName-${Private.next()}`;
    this._input.type = 'text';
    this._input.className = 'jp-mod-styled jp-colab-DriveName-input';
    this._input.spellcheck = false;
    this._input.value = initial;
    this._problem.className = 'jp-colab-DriveName-problem';
    this._problem.id = `${this._input.id}-problem`;
    this._problem.setAttribute('role', 'alert');
    this._input.setAttribute('aria-describedby', this._problem.id);
    this._input.addEventListener('input', () => this.check());
    this.node.append(label, this._input, this._problem);
  }

  /** The name to send: what was typed, without surrounding spaces. */
  get value(): string {
    return cleanName(this._input.value);
  }

  /** Why the name is refused, or null; shown under the field. */
  check(): string | null {
    const problem = nameProblem(this.value);
    const message =
      problem && describeProblem(problem, this.value, this._trans);
    this._problem.textContent = message ?? '';
    this._input.setAttribute('aria-invalid', message ? 'true' : 'false');
    this._input.classList.toggle('jp-mod-error', !!message);
    // The Dialog checks for errors on every input event, in the capture phase: before this
    // field's own listener has updated its mark. Tell it again, from a node that is not the input.
    this._problem.dispatchEvent(new Event('input', { bubbles: true }));
    return message;
  }

  /** Once in the dialog: check the name as the dialog starts listening, and select the stem
   * (the part before the extension), ready to be typed over. */
  attach(): void {
    queueMicrotask(() => this.check());
    const dot = this._input.value.lastIndexOf('.');
    this._input.setSelectionRange(0, dot > 0 ? dot : this._input.value.length);
  }
}

namespace Private {
  let counter = 0;
  /** A number for a unique element id. */
  export function next(): number {
    return ++counter;
  }
}
