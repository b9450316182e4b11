/**
 * `files.upload` in the page that ran the cell: the picker in that cell's output, each chosen file
 * written straight into the target folder through the server's contents API (base64 in 1 MiB
 * chunks, the protocol of the file browser's own upload), then the answer to the kernel on its
 * stdin channel, naming what was written. Nothing passes through the kernel's channels but names.
 */
import { CodeCell } from '@jupyterlab/cells';
import { NotebookPanel } from '@jupyterlab/notebook';
import { Contents, Kernel, KernelMessage } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';

import {
  badName,
  chunkNumbers,
  freeName,
  IUploadOutcome,
  IUploadRequest,
  joinPath,
  uploadReply
} from './upload';
import { UploadBox } from './uploadBox';
import { sendColabReply } from '../kernelRequests';

/** The file browser's chunk size: what the server takes in one request without strain. */
export const CHUNK_SIZE = 1024 * 1024;

/**
 * The code cell whose run sent `message`: its execute request is the message's parent, or (in a
 * page opened after the cell ran, which has no such request) the cell the message names.
 */
function cellOf(
  panel: NotebookPanel,
  message: KernelMessage.IMessage
): CodeCell | null {
  const parent = (message.parent_header as Partial<KernelMessage.IHeader>)
    .msg_id;
  const named = (message.content as { cell_id?: unknown }).cell_id;
  const cells = panel.content.widgets.filter(
    (cell): cell is CodeCell => cell instanceof CodeCell
  );
  return (
    cells.find(cell => cell.outputArea.future?.msg.header.msg_id === parent) ??
    cells.find(cell => cell.model.id === named) ??
    null
  );
}

/** `blob` as base64 text, as the file browser reads it. */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () =>
      resolve((reader.result as string).split(',')[1] ?? '');
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(blob);
  });
}

/**
 * Write `file` at `path` in chunks; `progress(sent)` after each. The next chunk is read while the
 * server writes this one (chunks must arrive in order: the server appends them).
 */
export async function sendFile(
  contents: Contents.IManager,
  path: string,
  file: File,
  progress: (sent: number) => void
): Promise<void> {
  const numbers = chunkNumbers(file.size, CHUNK_SIZE);
  const read = (i: number): Promise<string> =>
    base64Of(file.slice(i * CHUNK_SIZE, (i + 1) * CHUNK_SIZE));
  let next = read(0);
  for (let i = 0; i < numbers.length; i++) {
    const content = await next;
    if (i + 1 < numbers.length) {
      next = read(i + 1);
    }
    await contents.save(path, {
      type: 'file',
      format: 'base64',
      name: file.name,
      content,
      ...(numbers[i] === undefined ? {} : { chunk: numbers[i] })
    } as Partial<Contents.IModel>);
    progress(Math.min(file.size, (i + 1) * CHUNK_SIZE));
  }
}

/** Whether `path` exists for the contents API (hidden files read as missing). */
async function exists(
  contents: Contents.IManager,
  path: string
): Promise<boolean> {
  try {
    await contents.get(path, { content: false });
    return true;
  } catch (error) {
    if ((error as { response?: Response }).response?.status === 404) {
      return false;
    }
    throw error;
  }
}

/** What `error` says, for a person. */
function reasonOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Write the chosen `files` into `dir`; what became of each. */
async function writeAll(
  contents: Contents.IManager,
  dir: string,
  files: File[],
  box: UploadBox
): Promise<IUploadOutcome> {
  const outcome: IUploadOutcome = { files: [], errors: [], cancelled: false };
  files.forEach((file, index) => box.addFile(index, file));
  const used = new Set<string>();
  for (const [index, file] of files.entries()) {
    try {
      const bad = badName(file.name);
      if (bad !== null) {
        throw new Error(bad);
      }
      // As Colab: a name already there gets a free one, nothing is overwritten.
      const saved = await freeName(
        file.name,
        async name => used.has(name) || exists(contents, joinPath(dir, name))
      );
      used.add(saved);
      await sendFile(contents, joinPath(dir, saved), file, sent =>
        box.setProgress(index, sent)
      );
      box.setSaved(index, file.name, saved);
      outcome.files.push({ name: file.name, saved });
    } catch (error) {
      const reason = reasonOf(error);
      box.setFailed(index, reason);
      outcome.errors.push({ name: file.name, error: reason });
    }
  }
  return outcome;
}

/** Resolves when the kernel is done with the cell that sent `message` (or is gone). */
function cellEnded(
  panel: NotebookPanel,
  message: KernelMessage.IMessage
): { ended: Promise<void>; dispose: () => void } {
  const parent = (message.parent_header as Partial<KernelMessage.IHeader>)
    .msg_id;
  let done: () => void = () => undefined;
  const ended = new Promise<void>(resolve => (done = resolve));
  const onMessage = (_: unknown, msg: KernelMessage.IMessage): void => {
    const parentId = (msg.parent_header as Partial<KernelMessage.IHeader>)
      .msg_id;
    if (
      msg.header.msg_type === 'status' &&
      (msg.content as KernelMessage.IStatusMsg['content']).execution_state ===
        'idle' &&
      parentId === parent
    ) {
      done();
    }
  };
  const onStatus = (_: unknown, status: Kernel.Status): void => {
    if (status === 'restarting' || status === 'dead') {
      done();
    }
  };
  panel.sessionContext.iopubMessage.connect(onMessage);
  panel.sessionContext.statusChanged.connect(onStatus);
  return {
    ended,
    dispose: () => {
      panel.sessionContext.iopubMessage.disconnect(onMessage);
      panel.sessionContext.statusChanged.disconnect(onStatus);
    }
  };
}

/** Answer one `files.upload` request of a cell in `panel` (the caller holds it meanwhile). */
export async function runUpload(
  contents: Contents.IManager,
  panel: NotebookPanel,
  kernel: Kernel.IKernelConnection,
  message: KernelMessage.IMessage,
  request: IUploadRequest,
  trans: TranslationBundle
): Promise<void> {
  const answer = (value: string): void =>
    sendColabReply(kernel, message, value);
  const cell = cellOf(panel, message);
  if (cell === null) {
    answer(
      uploadReply(request.id, {
        error: trans.__(
          'no cell of the notebook is running it, so no picker can be shown'
        )
      })
    );
    return;
  }
  const box = new UploadBox({
    dir: request.dir,
    multiple: request.multiple,
    trans
  });
  const watch = cellEnded(panel, message);
  cell.outputArea.layout.addWidget(box);
  try {
    const files = await Promise.race([
      box.chosen,
      watch.ended.then(() => undefined)
    ]);
    if (files === undefined) {
      return; // interrupted or restarted: nobody waits for the answer
    }
    const outcome =
      files === null
        ? { files: [], errors: [], cancelled: true }
        : await writeAll(contents, request.dir, files, box);
    answer(uploadReply(request.id, outcome));
  } finally {
    watch.dispose();
    box.dispose(); // out of the layout; the model's outputs are untouched
  }
}
