/**
 * Keeps one code cell's form in step with its source. The form sits in the cell's input area,
 * right of the editor (as in Colab); `display-mode: "form"` hides the editor until the user
 * shows it. Field edits are written through the cell's shared model, one transaction each, so
 * the notebook stays plain code and each edit is one undo step.
 */
import type { CodeCell } from '@jupyterlab/cells';
import type { Notebook } from '@jupyterlab/notebook';
import type { TranslationBundle } from '@jupyterlab/translation';
import { Debouncer } from '@lumino/polling';
import { PanelLayout } from '@lumino/widgets';

import { formatValue } from './edit';
import { CellView, FormView } from './formView';
import { DisplayMode, IFormSpec, IParamField, parseForm } from './parser';

/** How long the source must rest before the form follows typing in the editor. */
const FOLLOW_DELAY_MS = 250;

export interface ICellFormOptions {
  trans: TranslationBundle;
  notebook: Notebook;
  /** Whether forms are on (the user's setting). */
  enabled(): boolean;
  /** Run the cell (`run: "auto"`). */
  run(cell: CodeCell): void;
}

export class CellForm {
  constructor(
    readonly cell: CodeCell,
    private readonly options: ICellFormOptions
  ) {
    cell.model.sharedModel.changed.connect(this._onSharedChange, this);
    options.notebook.stateChanged.connect(this._onNotebookState, this);
    // A cell drawn lazily (windowed notebooks) has no input area until it is ready; one that
    // is disposed first never will, and needs no form.
    cell.ready.then(() => this.refresh()).catch(() => undefined);
  }

  get isDisposed(): boolean {
    return this._disposed;
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._follow.dispose();
    this.cell.model?.sharedModel.changed.disconnect(this._onSharedChange, this);
    this.options.notebook.stateChanged.disconnect(this._onNotebookState, this);
    this._remove();
  }

  /** Parse the source now and show (or remove) the form. */
  refresh(): void {
    const input = this.cell.inputArea;
    if (this._disposed || this.cell.isDisposed || !input) {
      return;
    }
    const spec = this.options.enabled()
      ? parseForm(this.cell.model.sharedModel.getSource())
      : null;
    if (!spec) {
      this._remove();
      return;
    }
    if (spec.displayMode !== this._specMode) {
      // A new display-mode in the source wins over the user's last toggle.
      this._specMode = spec.displayMode;
      this._view = null;
    }
    this._spec = spec;
    if (!this._form) {
      this._form = new FormView({
        trans: this.options.trans,
        rendermime: this.options.notebook.rendermime,
        commit: (field, value) => this._commit(field, value),
        toggle: view => {
          this._view = view;
          this._show();
          if (view !== 'form') {
            this.cell.editor?.focus();
          }
        },
        undo: redo => {
          const shared = this.cell.model.sharedModel;
          if (redo) {
            shared.redo();
          } else {
            shared.undo();
          }
        }
      });
      (input.layout as PanelLayout).addWidget(this._form);
    }
    this._show();
  }

  private _show(): void {
    if (!this._form || !this._spec) {
      return;
    }
    const view = this._currentView();
    this._form.render(this._spec, view, this.cell.readOnly);
    this.cell.inputArea?.toggleClass(
      'jp-colab-mod-codeHidden',
      view === 'form'
    );
  }

  private _currentView(): CellView {
    if (this._view) {
      return this._view;
    }
    // Colab saves the form-only view of a cell in its metadata: honour it on opening.
    const saved = this.cell.model.getMetadata('cellView');
    return saved === 'form' ? 'form' : (this._spec?.displayMode ?? 'both');
  }

  private _remove(): void {
    this.cell.inputArea?.removeClass('jp-colab-mod-codeHidden');
    this._form?.dispose();
    this._form = null;
    this._spec = null;
  }

  /** Write a field's new value into its line; false when the value is refused. */
  private _commit(field: IParamField, input: string | boolean): boolean {
    const shared = this.cell.model.sharedModel;
    // The source may have moved on since the form was drawn: edit the line as it is now.
    const spec = parseForm(shared.getSource());
    const current = findField(spec, field);
    if (!current) {
      return false;
    }
    const text = formatValue(current, input);
    if (text === null) {
      return false;
    }
    if (text === current.text) {
      return true;
    }
    // One transaction, kept apart from the typing around it: Ctrl+Z undoes exactly this edit.
    const undo = undoManagerOf(shared);
    undo?.stopCapturing();
    shared.updateSource(current.from, current.to, text);
    undo?.stopCapturing();
    this.refresh();
    if (spec?.runAuto) {
      this.options.run(this.cell);
    }
    return true;
  }

  private _onSharedChange(
    _: unknown,
    change: { sourceChange?: unknown }
  ): void {
    if (change.sourceChange) {
      void this._follow.invoke();
    }
  }

  /** Entering edit mode (Enter) on a form-only cell shows its code, as in Colab. */
  private _onNotebookState(
    notebook: Notebook,
    change: { name: string; newValue: unknown }
  ): void {
    if (
      change.name === 'mode' &&
      change.newValue === 'edit' &&
      notebook.activeCell === this.cell &&
      this._form &&
      this._currentView() === 'form'
    ) {
      this._view = 'both';
      this._show();
      this.cell.editor?.focus();
    }
  }

  private _disposed = false;
  private _follow = new Debouncer(() => this.refresh(), FOLLOW_DELAY_MS);
  private _form: FormView | null = null;
  private _spec: IFormSpec | null = null;
  private _specMode: DisplayMode | null = null;
  private _view: CellView | null = null;
}

/** The field of the same name on the same line, else the first of that name. */
function findField(
  spec: IFormSpec | null,
  field: IParamField
): IParamField | null {
  const fields = (spec?.items ?? []).filter(
    (item): item is IParamField =>
      item.type === 'param' && item.name === field.name
  );
  return fields.find(item => item.line === field.line) ?? fields[0] ?? null;
}

/**
 * The Yjs undo manager the cell's edits go to (its own, or the notebook's when the notebook
 * keeps one history): `YCodeCell` has it, the `ISharedCodeCell` interface does not say so.
 */
function undoManagerOf(shared: object): { stopCapturing(): void } | null {
  const manager = (shared as { undoManager?: unknown }).undoManager;
  return manager && typeof manager === 'object' && 'stopCapturing' in manager
    ? (manager as { stopCapturing(): void })
    : null;
}
