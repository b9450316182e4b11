/**
 * The form beside a cell's code: the `#@title` with a code toggle, then the `#@markdown` blocks
 * and `#@param` fields in source order. When the source changes but the form's shape does not
 * (the user typed a new value), controls are updated in place, so focus and the caret stay put.
 */
import type { Notebook } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { Commit, createFieldControl, IFieldControl, isTyping } from './fields';
import { FormItem, IFormSpec, IParamField } from './parser';

/** What the cell shows: the form only, both, or the code only. */
export type CellView = 'form' | 'both' | 'code';

export interface IFormViewOptions {
  trans: TranslationBundle;
  /** The notebook's renderers, for `#@markdown` (sanitized, as untrusted output is). */
  rendermime: Notebook['rendermime'] | null;
  /** Write a field's new value into the source; false when the value is refused. */
  commit(field: IParamField, input: string | boolean): boolean;
  /** The toggle was pressed: show this view. */
  toggle(view: CellView): void;
  /** Ctrl+Z / Ctrl+Shift+Z in the form: undo or redo the cell's last edit. */
  undo(redo: boolean): void;
}

export class FormView extends Widget {
  constructor(private readonly options: IFormViewOptions) {
    super();
    this.addClass('jp-colab-Form');
    this._title.className = 'jp-colab-Form-title';
    this._toggle.className = 'jp-colab-Form-toggle';
    this._toggle.type = 'button';
    this._toggle.addEventListener('click', () =>
      this.options.toggle(this._next)
    );
    this._body.className = 'jp-colab-Form-body';
    // The toggle sits below the fields: the cell toolbar of the active cell covers the top right.
    this._footer.className = 'jp-colab-Form-footer';
    this._footer.append(this._toggle);
    this.node.append(this._title, this._body, this._footer);
    // Keys typed in a control are the control's: the notebook's command-mode shortcuts (arrows
    // move between cells, letters are commands) must not fire from a focused select or slider,
    // and the notebook's own keydown handling (it refocuses the cell) must not see them either.
    this._body.dataset.lmSuppressShortcuts = 'true';
    this._body.addEventListener('keydown', event => {
      event.stopPropagation();
      this._onKeydown(event);
    });
  }

  /** Show `spec` with the cell in `view`; a read-only cell's fields are shown disabled. */
  render(spec: IFormSpec, view: CellView, readOnly = false): void {
    this._body.disabled = readOnly;
    const { trans } = this.options;
    this._title.textContent = spec.title ?? '';
    this._title.hidden = !spec.title;
    this._next = view === 'form' ? 'both' : view === 'both' ? 'form' : 'both';
    this._toggle.textContent =
      view === 'form'
        ? trans.__('Show code')
        : view === 'both'
          ? trans.__('Hide code')
          : trans.__('Show form');
    this._body.hidden = view === 'code';
    this.toggleClass('jp-colab-mod-formOnly', view === 'form');
    this.toggleClass('jp-colab-mod-codeOnly', view === 'code');

    this._items = spec.items;
    const shape = shapeOf(spec.items);
    if (shape !== this._shape) {
      this._shape = shape;
      this._build(spec.items);
      return;
    }
    let index = 0;
    for (const item of spec.items) {
      if (item.type === 'param') {
        this._controls[index++]?.show(item);
      }
    }
  }

  /**
   * Ctrl+Z in the form undoes the form's edits, as in the code, unless a text field holds typing
   * of its own to undo (the browser's undo takes that back).
   */
  private _onKeydown(event: KeyboardEvent): void {
    const target = event.target;
    const typing =
      (target instanceof HTMLInputElement ||
        target instanceof HTMLSelectElement) &&
      isTyping(target);
    if (
      (event.ctrlKey || event.metaKey) &&
      !event.altKey &&
      event.key.toLowerCase() === 'z' &&
      !typing
    ) {
      event.preventDefault();
      this.options.undo(event.shiftKey);
    }
  }

  private _build(items: FormItem[]): void {
    this._controls = [];
    this._body.replaceChildren();
    items.forEach((item, position) => {
      if (item.type === 'markdown') {
        this._body.append(this._markdown(item.text));
        return;
      }
      const commit: Commit = input => {
        const current = this._fields()[position];
        return current ? this.options.commit(current, input) : false;
      };
      const control = createFieldControl(item, commit);
      this._controls.push(control);
      this._body.append(control.node);
    });
  }

  /** The latest parse's fields by position, so that a commit writes at the line's current place. */
  private _fields(): (IParamField | null)[] {
    return this._items.map(item => (item.type === 'param' ? item : null));
  }

  private _markdown(text: string): HTMLElement {
    const node = document.createElement('div');
    node.className = 'jp-colab-Form-markdown';
    const { rendermime } = this.options;
    if (!rendermime) {
      node.textContent = text;
      return node;
    }
    // JupyterLab's markdown renderer, untrusted: its HTML is sanitized.
    const renderer = rendermime.createRenderer('text/markdown');
    const model = rendermime.createModel({
      data: { 'text/markdown': text },
      trusted: false
    });
    renderer.renderModel(model).catch(reason => {
      console.warn('colab-ext: form markdown did not render', reason);
      node.textContent = text;
    });
    node.append(renderer.node);
    return node;
  }

  private readonly _title = document.createElement('div');
  private readonly _toggle = document.createElement('button');
  private readonly _body = document.createElement('fieldset');
  private readonly _footer = document.createElement('div');
  private _controls: IFieldControl[] = [];
  private _items: FormItem[] = [];
  private _shape = '';
  private _next: CellView = 'form';
}

/** Everything about the items but their values: equal shapes keep the same controls. */
function shapeOf(items: FormItem[]): string {
  return JSON.stringify(
    items.map(item =>
      item.type === 'markdown'
        ? ['md', item.text]
        : [
            item.kind,
            item.name,
            item.items?.map(literal => literal.value),
            item.allowInput,
            item.min,
            item.max,
            item.step,
            item.placeholder
          ]
    )
  );
}
