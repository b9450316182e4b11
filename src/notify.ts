/**
 * A server call that takes a while, shown as one notification: in progress while it runs, then
 * its outcome, with buttons to the pages it made. GitHub's flows and Drive's mount share it, so
 * every long action of colab-ext reads the same way.
 */
import { Notification } from '@jupyterlab/apputils';

/** What a finished call says. */
export interface IOutcome {
  message: string;
  /** 'warning' when it did only part of the work. */
  type?: 'success' | 'warning';
  /** [button label, URL, tooltip]: each label names the page it opens. */
  links?: [string, string, string?][];
}

export interface IProgressOptions {
  /** How long the outcome stays, in milliseconds. */
  autoClose?: number;
  /**
   * On failure, 'dismiss' the notification (the caller says why, in a dialog) or 'show' the
   * error in it. Either way the error is thrown on.
   */
  failure?: 'dismiss' | 'show';
}

/** Run `work` under an in-progress notification that turns into its outcome. */
export async function withProgress<T>(
  pending: string,
  work: Promise<T>,
  outcome: (result: T) => IOutcome,
  options: IProgressOptions = {}
): Promise<T> {
  const id = Notification.emit(pending, 'in-progress', { autoClose: false });
  try {
    const result = await work;
    const { message, type = 'success', links = [] } = outcome(result);
    Notification.update({
      id,
      message,
      type,
      autoClose: options.autoClose ?? 5000,
      actions: links.map(([label, url, caption]) => ({
        label,
        caption,
        callback: () => window.open(url, '_blank', 'noopener')
      }))
    });
    return result;
  } catch (error) {
    if (options.failure === 'show') {
      Notification.update({
        id,
        type: 'error',
        message: (error as Error).message,
        autoClose: false
      });
    } else {
      Notification.dismiss(id);
    }
    throw error;
  }
}
