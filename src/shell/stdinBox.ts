/**
 * The input box shown under a running command's output: what is typed goes to the command's
 * terminal. It hides typing while the program has echo off (password prompts).
 */
import { lockIcon } from '@jupyterlab/ui-components';
import { Widget } from '@lumino/widgets';

export interface IStdinBoxOptions {
  /** A line typed (with its newline), or `\u0004` for end of input (Ctrl-D). */
  send(data: string): void;
  /** Ctrl-C in the box: interrupt the command. */
  interrupt(): void;
  placeholder: string;
  label: string;
  /** The lock icon's tooltip while typing is hidden. */
  passwordTitle: string;
}

export class StdinBox extends Widget {
  constructor(private readonly options: IStdinBoxOptions) {
    super();
    this.addClass('jp-colab-ShellStdin');
    const label = document.createElement('label');
    label.textContent = options.label;
    this._input = document.createElement('input');
    this._input.type = 'text';
    this._input.className = 'jp-colab-ShellStdin-input';
    this._input.placeholder = options.placeholder;
    this._input.spellcheck = false;
    this._input.autocomplete = 'off';
    this._input.setAttribute('aria-label', options.placeholder);
    label.appendChild(this._input);
    // Shown while typing is hidden (CSS): JupyterLab's lock icon, in the theme's colours.
    const lock = lockIcon.element({
      className: 'jp-colab-ShellStdin-lock',
      tag: 'span',
      title: options.passwordTitle
    });
    label.appendChild(lock);
    this.node.appendChild(label);
    this._input.addEventListener('keydown', this._onKey);
  }

  /** Hide what is typed (the program turned the terminal's echo off), or show it again. */
  set hidden(hide: boolean) {
    this._input.type = hide ? 'password' : 'text';
    this.toggleClass('jp-mod-password', hide);
  }

  focusInput(): void {
    this._input.focus();
  }

  dispose(): void {
    this._input.removeEventListener('keydown', this._onKey);
    super.dispose();
  }

  private _onKey = (event: KeyboardEvent): void => {
    // Keys typed here are the command's, not the notebook's shortcuts.
    event.stopPropagation();
    if (event.key === 'Enter') {
      event.preventDefault();
      this.options.send(`${this._input.value}\n`);
      this._input.value = '';
    } else if (event.ctrlKey && event.key === 'd' && this._input.value === '') {
      event.preventDefault();
      this.options.send('\u0004');
    } else if (event.ctrlKey && event.key === 'c' && !this._hasSelection()) {
      event.preventDefault();
      this.options.interrupt();
    }
  };

  private _hasSelection(): boolean {
    return this._input.selectionStart !== this._input.selectionEnd;
  }

  private _input: HTMLInputElement;
}
