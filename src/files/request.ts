/**
 * What `google.colab.files.download` / `files.view` ask of the page
 * (kernel_site/google/colab/files.py): a custom IOPub message under the cell that called them.
 */
import { KernelMessage } from '@jupyterlab/services';

/** The IOPub message type the kernel sends. */
export const FILES_MESSAGE = 'colab_ext_files_request';

/** One request: download a file, or open a file (a folder in the file browser). */
export interface IFilesRequest {
  action: 'download' | 'view';
  /** Relative to the server's root, `/`-separated, as the contents API names it. */
  path: string;
  /** The file's own name, what the download is saved as. */
  name: string;
  kind: 'file' | 'directory';
  size: number | null;
}

/**
 * The request `message` carries, or null when it is no files request (another type, or content
 * this version does not understand).
 */
export function filesRequest(
  message: KernelMessage.IMessage
): IFilesRequest | null {
  if ((message.header.msg_type as string) !== FILES_MESSAGE) {
    return null;
  }
  const content = message.content as Partial<
    Record<keyof IFilesRequest, unknown>
  >;
  const { action, path, name, kind, size } = content;
  if (
    (action !== 'download' && action !== 'view') ||
    typeof path !== 'string' ||
    typeof name !== 'string'
  ) {
    return null;
  }
  return {
    action,
    path,
    name,
    kind: kind === 'directory' ? 'directory' : 'file',
    size: typeof size === 'number' ? size : null
  };
}
