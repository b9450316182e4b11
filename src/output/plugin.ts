/**
 * Output: what `google.colab.output` asks of the page, and Colab's page-side kernel API.
 *
 * - `eval_js(script)`: the kernel names the script on IOPub under the running cell
 *   (`colab_ext_output_request`, see `request.ts`). Only the page whose kernel connection ran
 *   that cell evaluates it, and answers on the kernel's stdin channel, where the kernel waits
 *   (its shell channel is busy with the cell). The trust is JupyterLab's own for outputs: code
 *   the user just ran here may run JavaScript here; a notebook merely opened, or a cell run from
 *   another page, runs nothing. One exception, for a reload: when the page that ran the cell
 *   went away while the kernel still waits, the kernel asks again and a page showing that cell
 *   of the same running kernel answers (the request comes from the live kernel, never from the
 *   notebook file).
 * - `google.colab.kernel.invokeFunction(name, args, kwargs)`, which Colab's HTML outputs call:
 *   a silent request to the kernel of the notebook the calling output is in, which calls the
 *   Python callback registered with `output.register_callback` and resolves with its result.
 */
import {
  JupyterFrontEnd,
  JupyterFrontEndPlugin
} from '@jupyterlab/application';
import { INotebookTracker, NotebookPanel } from '@jupyterlab/notebook';
import { Kernel, KernelMessage } from '@jupyterlab/services';

import { serverPartLoaded } from '../serverPart/state';
import {
  evalRequest,
  IEvalRequest,
  IInvokeResult,
  invokeExpression,
  invokeResult,
  Outcome,
  replyValue
} from './request';
import {
  holdRequest,
  ranHere,
  sendColabReply,
  takesRequest
} from '../kernelRequests';

/** How many handled message ids are remembered (two views of one notebook get each once). */
const REMEMBERED = 64;

/** Evaluate in the page's global scope, as a script tag would, not in this module's. */
const globalEval: (script: string) => unknown = eval;

/** Colab's `google.colab.kernel`, as HTML outputs find it on `window`. */
interface IColabKernel {
  invokeFunction(
    name: string,
    args?: unknown[],
    kwargs?: Record<string, unknown>
  ): Promise<IInvokeResult>;
}

async function evaluate(script: string): Promise<Outcome> {
  try {
    return { value: await globalEval(script) };
  } catch (error) {
    return { error };
  }
}

/** Evaluate `request`'s script and send its outcome (the caller holds the request meanwhile). */
async function answer(
  kernel: Kernel.IKernelConnection,
  message: KernelMessage.IMessage,
  request: IEvalRequest
): Promise<void> {
  const outcome = await evaluate(request.script);
  sendColabReply(kernel, message, replyValue(request.id, outcome));
}

/**
 * The notebook whose output called: the one holding the element that has focus or took the
 * event (a clicked button), else the current notebook (a call from a timer, say).
 */
function callingNotebook(tracker: INotebookTracker): NotebookPanel | null {
  const event = (window as { event?: Event }).event;
  const candidates = [event?.target, document.activeElement];
  for (const candidate of candidates) {
    if (candidate instanceof Node) {
      const panel = tracker.find(widget => widget.node.contains(candidate));
      if (panel) {
        return panel;
      }
    }
  }
  return tracker.currentWidget;
}

async function invokeFunction(
  panel: NotebookPanel | null,
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>
): Promise<IInvokeResult> {
  if (typeof name !== 'string') {
    throw new TypeError('invokeFunction: the function name must be a string');
  }
  if (!Array.isArray(args) || kwargs === null || typeof kwargs !== 'object') {
    throw new TypeError(
      'invokeFunction: args must be an array and kwargs an object'
    );
  }
  const kernel = panel?.sessionContext.session?.kernel;
  if (!kernel) {
    throw new Error(
      'invokeFunction: no notebook with a running kernel to call; start its kernel first'
    );
  }
  const future = kernel.requestExecute({
    code: '',
    silent: true,
    store_history: false,
    allow_stdin: false,
    stop_on_error: false,
    user_expressions: { result: invokeExpression(name, args, kwargs) }
  });
  const reply = await future.done;
  const content = reply.content as {
    status: string;
    user_expressions?: Record<string, unknown>;
  };
  return invokeResult(
    content.status === 'ok' ? content.user_expressions?.result : content
  );
}

/** Put `google.colab.kernel` on `window`, next to whatever else `google` holds there. */
function installKernelApi(tracker: INotebookTracker): void {
  const host = window as unknown as {
    google?: { colab?: { kernel?: IColabKernel } };
  };
  const google = (host.google ??= {});
  const colab = (google.colab ??= {});
  colab.kernel = {
    invokeFunction: (name, args = [], kwargs = {}) =>
      invokeFunction(callingNotebook(tracker), name, args, kwargs)
  };
}

export const outputPlugin: JupyterFrontEndPlugin<void> = {
  id: 'colab-ext:output',
  description:
    'Output: evaluates the JavaScript of google.colab.output.eval_js in the page that ran the cell, and gives outputs google.colab.kernel.invokeFunction.',
  autoStart: true,
  requires: [INotebookTracker],
  activate: (app: JupyterFrontEnd, tracker: INotebookTracker): void => {
    if (!serverPartLoaded()) {
      return; // the server-part notice says why nothing works
    }
    installKernelApi(tracker);
    const handled: string[] = [];
    const watch = (panel: NotebookPanel): void => {
      panel.sessionContext.iopubMessage.connect((context, message) => {
        const msg = message as KernelMessage.IMessage;
        const request = evalRequest(msg);
        const kernel = context.session?.kernel;
        if (request === null || !kernel) {
          return;
        }
        if (!request.ignoreResult) {
          // The kernel waits for this one: held until answered, so a reloaded page gets it again
          // (see kernelRequests.ts).
          if (takesRequest(panel, msg, request.id)) {
            const release = holdRequest(kernel, msg, request.id);
            void answer(kernel, msg, request).finally(release);
          }
          return;
        }
        const id = message.header.msg_id;
        if (!ranHere(message, kernel.clientId) || handled.includes(id)) {
          return;
        }
        handled.push(id);
        handled.splice(0, Math.max(0, handled.length - REMEMBERED));
        void evaluate(request.script);
      });
    };
    tracker.forEach(watch);
    tracker.widgetAdded.connect((_, panel) => watch(panel));
  }
};
