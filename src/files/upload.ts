/**
 * What `google.colab.files.upload(target_dir)` asks of the page (kernel_site/google/colab/files.py)
 * and the answer the page sends on the kernel's stdin channel; the rules for the names files are
 * saved under. Plain functions, tested in `upload.spec.ts`.
 */
import { KernelMessage } from '@jupyterlab/services';

/** The IOPub message type the kernel sends. */
export const UPLOAD_MESSAGE = 'colab_ext_files_upload';

/** One upload request. */
export interface IUploadRequest {
  /** Names the answer, so that the kernel takes only the one it waits for. */
  id: string;
  /** The folder to save in, relative to the server's root, `/`-separated ('' for the root). */
  dir: string;
  multiple: boolean;
}

/** A file written: its name in the browser and the name it was saved under. */
export interface IUploaded {
  name: string;
  saved: string;
}

/** What the page did: the files written, those that failed, whether the user cancelled. */
export interface IUploadOutcome {
  files: IUploaded[];
  errors: { name: string; error: string }[];
  cancelled: boolean;
}

/** The request `message` carries, or null when it is none this version understands. */
export function uploadRequest(
  message: KernelMessage.IMessage
): IUploadRequest | null {
  if ((message.header.msg_type as string) !== UPLOAD_MESSAGE) {
    return null;
  }
  const { id, dir, multiple } = message.content as Record<string, unknown>;
  if (typeof id !== 'string' || typeof dir !== 'string') {
    return null;
  }
  return { id, dir, multiple: multiple !== false };
}

/** The `input_reply` value that answers `id`: Colab's `colab_reply`, as JSON text. */
export function uploadReply(
  id: string,
  outcome: IUploadOutcome | { error: string }
): string {
  const reply = { type: 'colab_reply', colab_msg_id: id };
  if ('error' in outcome) {
    return JSON.stringify({ ...reply, error: outcome.error });
  }
  return JSON.stringify({ ...reply, data: outcome });
}

/** `name` in folder `dir` as the contents API names it. */
export function joinPath(dir: string, name: string): string {
  return dir ? `${dir}/${name}` : name;
}

/**
 * Why the server would refuse `name` as one file name in the folder, or null when it is fine. A
 * browser gives a bare name, but a page script can make a `File` with any.
 */
export function badName(name: string): string | null {
  if (name === '' || name === '.' || name === '..' || /[/\\]/.test(name)) {
    return 'not a single file name';
  }
  if (name.startsWith('.')) {
    return 'the Jupyter server does not write hidden files (a name starting with "."); rename it without the dot, or start the server with --ContentsManager.allow_hidden=True';
  }
  return null;
}

/**
 * The name `name` is saved under when `taken` says which are used: itself, else
 * `stem (1).ext`, `stem (2).ext`, ... as Colab picks one rather than overwrite.
 */
export async function freeName(
  name: string,
  taken: (candidate: string) => Promise<boolean>
): Promise<string> {
  if (!(await taken(name))) {
    return name;
  }
  const dot = name.lastIndexOf('.');
  const [stem, ext] =
    dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  for (let counter = 1; ; counter++) {
    const candidate = `${stem} (${counter})${ext}`;
    if (!(await taken(candidate))) {
      return candidate;
    }
  }
}

/** The contents API's chunk numbers for a file of `size` bytes in `chunkSize` chunks, as the
 * file browser sends them: 1, 2, ..., and -1 for the last; `[undefined]` for one plain save. */
export function chunkNumbers(
  size: number,
  chunkSize: number
): (number | undefined)[] {
  if (size <= chunkSize) {
    return [undefined];
  }
  const count = Math.ceil(size / chunkSize);
  return Array.from({ length: count }, (_, i) =>
    i === count - 1 ? -1 : i + 1
  );
}

/** `bytes` for a person: 512 B, 3.4 MB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1000) {
    return `${bytes} B`;
  }
  const units = ['kB', 'MB', 'GB', 'TB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}
