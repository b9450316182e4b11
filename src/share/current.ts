/**
 * Finding the notebook document in a widget without depending on @jupyterlab/notebook or
 * @jupyterlab/docregistry (kept out of package.json so feature branches merge without lockfile
 * churn): a document widget has a `context` with its path and a `save()`.
 */
import { Widget } from '@lumino/widgets';

/** The part of a document widget the share feature uses. */
export interface ISavableNotebook {
  context: {
    path: string;
    model: { dirty: boolean };
    save(): Promise<void>;
  };
}

/** `widget` as a notebook document (an `.ipynb` with a context), or null. */
export function notebookOf(widget: Widget | null): ISavableNotebook | null {
  const context = (widget as Partial<ISavableNotebook> | null)?.context;
  if (
    context &&
    typeof context.path === 'string' &&
    context.path.endsWith('.ipynb') &&
    typeof context.save === 'function'
  ) {
    return widget as unknown as ISavableNotebook;
  }
  return null;
}
