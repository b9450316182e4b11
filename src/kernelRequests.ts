/**
 * A kernel's `google.colab` requests to the page (custom IOPub messages under the cell that made
 * them: `files.download`, `files.upload`, `output.eval_js`, the Drive prompt) and the page's
 * answers on the kernel's stdin channel, as Colab's page answers them (see
 * kernel_site/google/colab/_stdin_reply.py).
 *
 * A page that took a request holds it: it acks again every few seconds until it answered. When
 * that page goes away (a reload, a closed tab) the kernel announces the request again, marked
 * `reannounced` and naming its cell, and the next page that shows that cell takes it.
 */
import { NotebookPanel } from '@jupyterlab/notebook';
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

/** How often a held request is acked again (the kernel waits 7 s before it calls it orphaned). */
const KEEPALIVE_MS = 2000;
/** How many answered request ids are remembered, so a late re-announcement is not taken again. */
const REMEMBERED = 64;

/** Requests this page holds, by id: each one's "ack again". */
const held = new Map<string, () => void>();
/** Requests this page answered (or gave up), newest last. */
const finished: string[] = [];

/** The cell a request names (`cell_id`) when the kernel announced it again, else null. */
export function reannouncedCell(
  message: KernelMessage.IMessage
): string | null {
  const content = message.content as {
    reannounced?: unknown;
    cell_id?: unknown;
  };
  return content.reannounced === true && typeof content.cell_id === 'string'
    ? content.cell_id
    : null;
}

/**
 * Whether this page takes request `id` that `message` in `panel` carries: it ran the cell, or the
 * kernel announced it again (its page went away) and this notebook shows the cell. A request this
 * page already holds is acked again instead (the kernel stops announcing it), one it finished is
 * left alone.
 */
export function takesRequest(
  panel: NotebookPanel,
  message: KernelMessage.IMessage,
  id: string
): boolean {
  const kernel = panel.sessionContext.session?.kernel;
  const ackAgain = held.get(id);
  if (!kernel || finished.includes(id)) {
    return false;
  }
  if (ackAgain) {
    ackAgain();
    return false;
  }
  if (ranHere(message, kernel.clientId)) {
    return true;
  }
  const cellId = reannouncedCell(message);
  return (
    cellId !== null &&
    panel.content.widgets.some(cell => cell.model.id === cellId)
  );
}

/**
 * Take request `id`: ack it now and every few seconds until the returned `release` is called
 * (after the answer was sent, or when nobody waits for it any more).
 */
export function holdRequest(
  kernel: Kernel.IKernelConnection,
  message: KernelMessage.IMessage,
  id: string
): () => void {
  const ack = (): void => {
    if (!kernel.isDisposed) {
      acknowledge(kernel, message, id);
    }
  };
  ack();
  const timer = window.setInterval(ack, KEEPALIVE_MS);
  held.set(id, ack);
  return () => {
    window.clearInterval(timer);
    if (held.delete(id)) {
      finished.push(id);
      finished.splice(0, Math.max(0, finished.length - REMEMBERED));
    }
  };
}
