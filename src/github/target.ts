/**
 * Which notebook a GitHub command acts on, and its GitHub record. The notebook's own widget is
 * found by duck typing, so this feature needs no dependency on the notebook package.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import type { IDocumentWidget } from '@jupyterlab/docregistry';

import { IGitHubRecord, METADATA_KEY, mergeRecord, readRecord } from './record';

/** The metadata side of a notebook model (INotebookModel has these). */
interface IMetadataModel {
  dirty: boolean;
  getMetadata(key: string): unknown;
  setMetadata(key: string, value: unknown): void;
}

/** A notebook by path, with its open widget when there is one. */
export interface INotebookTarget {
  path: string;
  widget: IDocumentWidget | null;
}

function asDocument(widget: unknown): IDocumentWidget | null {
  const context = (widget as Partial<IDocumentWidget> | null)?.context;
  return context && typeof context.path === 'string'
    ? (widget as IDocumentWidget)
    : null;
}

function metadataModel(widget: IDocumentWidget): IMetadataModel | null {
  const model = widget.context.model as unknown as Partial<IMetadataModel>;
  return typeof model.getMetadata === 'function'
    ? (model as IMetadataModel)
    : null;
}

/** The notebook at `path`, or the current notebook when no path is given. */
export function findNotebook(
  app: JupyterFrontEnd,
  path?: string
): INotebookTarget | null {
  if (path) {
    for (const widget of app.shell.widgets('main')) {
      const document = asDocument(widget);
      if (document && document.context.path === path) {
        return { path, widget: document };
      }
    }
    return path.endsWith('.ipynb') ? { path, widget: null } : null;
  }
  const current = asDocument(app.shell.currentWidget);
  if (current && current.context.path.endsWith('.ipynb')) {
    return { path: current.context.path, widget: current };
  }
  return null;
}

/** Save unsaved changes first: the server copies what is on disk. */
export async function saveIfDirty(target: INotebookTarget): Promise<void> {
  if (target.widget && target.widget.context.model.dirty) {
    await target.widget.context.save();
  }
}

/** The notebook's GitHub record, from the open model or from the file. */
export async function recordOf(
  app: JupyterFrontEnd,
  target: INotebookTarget
): Promise<IGitHubRecord> {
  const model = target.widget ? metadataModel(target.widget) : null;
  if (model) {
    return readRecord(model.getMetadata(METADATA_KEY));
  }
  const file = await app.serviceManager.contents.get(target.path, {
    content: true,
    type: 'notebook'
  });
  const metadata = (file.content as { metadata?: Record<string, unknown> })
    ?.metadata;
  return readRecord(metadata?.[METADATA_KEY]);
}

/**
 * Whether the server should write the record into the file itself: only when the notebook is
 * not open, since an open notebook would then differ from its file.
 */
export function serverWritesRecord(target: INotebookTarget): boolean {
  return !(target.widget && metadataModel(target.widget));
}

/** Put the server's record into the open notebook and save it. */
export async function applyRecord(
  target: INotebookTarget,
  parts: IGitHubRecord
): Promise<void> {
  const model = target.widget ? metadataModel(target.widget) : null;
  if (!target.widget || !model) {
    return;
  }
  model.setMetadata(
    METADATA_KEY,
    mergeRecord(model.getMetadata(METADATA_KEY), parts)
  );
  await target.widget.context.save();
}
