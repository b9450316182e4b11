/**
 * A kernel's `google.colab` requests to the page (custom IOPub messages under the cell that made
 * them: `files.download`, `files.upload`, `output.eval_js`, the Drive prompt) and the page's
 * answers on the kernel's stdin channel, as Colab's page answers them (see
 * kernel_site/google/colab/_stdin_reply.py).
 */
import { Kernel, KernelMessage } from '@jupyterlab/services';

/** Send `value` (a `colab_reply` as JSON text) in answer to the request `message`. */
export function sendColabReply(
  kernel: Kernel.IKernelConnection,
  message: KernelMessage.IMessage,
  value: string
): void {
  kernel.sendInputReply(
    { status: 'ok', value },
    message.header as unknown as KernelMessage.IInputReplyMsg['parent_header']
  );
}

/** Tell the kernel at once that this page took request `id`: it then waits for the answer as
 * long as it takes, instead of failing after a while for want of a page. */
export function acknowledge(
  kernel: Kernel.IKernelConnection,
  message: KernelMessage.IMessage,
  id: string
): void {
  sendColabReply(
    kernel,
    message,
    JSON.stringify({ type: 'colab_reply', colab_msg_id: id, ack: true })
  );
}

/**
 * Whether this page ran the cell that sent `message`: its parent is an `execute_request` whose
 * session is this page's kernel connection. Every page connected to the kernel receives the
 * message; only that one acts, so two tabs never both download.
 */
export function ranHere(
  message: KernelMessage.IMessage,
  clientId: string | undefined
): boolean {
  const parent = message.parent_header as Partial<KernelMessage.IHeader>;
  return clientId !== undefined && parent.session === clientId;
}
