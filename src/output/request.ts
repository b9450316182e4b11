/**
 * The messages of `google.colab.output` (kernel_site/google/colab/output.py): what `eval_js` asks
 * of the page on IOPub, the answer the page sends on the kernel's stdin channel, and the request
 * that `google.colab.kernel.invokeFunction` makes of the kernel.
 */
import { KernelMessage } from '@jupyterlab/services';

/** The IOPub message type the kernel sends for `eval_js`. */
export const OUTPUT_MESSAGE = 'colab_ext_output_request';

/** One `eval_js` request. */
export interface IEvalRequest {
  /** Names the answer, so that the kernel takes only the one it waits for. */
  id: string;
  script: string;
  /** The kernel does not wait for the value: evaluate, send nothing back. */
  ignoreResult: boolean;
}

/** How the script ended: its value, or what it threw. */
export type Outcome = { value: unknown } | { error: unknown };

/**
 * The request `message` carries, or null when it is no `eval_js` request (another type, or
 * content this version does not understand).
 */
export function evalRequest(
  message: KernelMessage.IMessage
): IEvalRequest | null {
  if ((message.header.msg_type as string) !== OUTPUT_MESSAGE) {
    return null;
  }
  const { id, script, ignore_result } = message.content as Record<
    string,
    unknown
  >;
  if (typeof id !== 'string' || typeof script !== 'string') {
    return null;
  }
  return { id, script, ignoreResult: ignore_result === true };
}

/**
 * The `input_reply` value that answers `id`: Colab's `colab_reply`, as JSON text (an input
 * reply's value is text). A value with no JSON form (`undefined`, a function) is sent as no
 * data, which the kernel reads as None; one that cannot be written (a cycle) as the error.
 */
export function replyValue(id: string, outcome: Outcome): string {
  const reply: Record<string, unknown> = {
    type: 'colab_reply',
    colab_msg_id: id
  };
  if ('error' in outcome) {
    reply.error = errorText(outcome.error);
    return JSON.stringify(reply);
  }
  try {
    // JSON leaves out a key whose value has no JSON form.
    return JSON.stringify({ ...reply, data: outcome.value });
  } catch (error) {
    return JSON.stringify({ ...reply, error: errorText(error) });
  }
}

/** What a thrown value says, as the kernel's MessageError shows it: `ReferenceError: ...`. */
export function errorText(error: unknown): string {
  if (error instanceof Error) {
    return `${error.name}: ${error.message}`;
  }
  return String(error);
}

/**
 * The Python expression that calls the callback registered as `name` with `args` and `kwargs`.
 * Each goes in as a Python string literal of its JSON text: JSON's string escapes are Python's
 * too, so nothing the page passes can end the literal.
 */
export function invokeExpression(
  name: string,
  args: unknown[],
  kwargs: Record<string, unknown>
): string {
  const literal = (text: string): string => JSON.stringify(text);
  return (
    "__import__('google.colab.output', fromlist=['_'])._invoke_function(" +
    `${literal(name)}, ${literal(JSON.stringify(args))}, ${literal(JSON.stringify(kwargs))})`
  );
}

/** What `invokeFunction` resolves with, as in Colab: the result as Jupyter formats it. */
export interface IInvokeResult {
  data: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

/**
 * The promised result from the user expression the kernel evaluated: its formatted value, or
 * an Error named after the Python exception (`ValueError: Function not found: ...`).
 */
export function invokeResult(expression: unknown): IInvokeResult {
  const result = (expression ?? {}) as Record<string, unknown>;
  if (result.status !== 'ok') {
    throw new Error(
      result.ename !== undefined
        ? `${String(result.ename)}: ${String(result.evalue ?? '')}`
        : 'the kernel did not evaluate the call'
    );
  }
  return {
    data: (result.data ?? {}) as Record<string, unknown>,
    metadata: (result.metadata ?? {}) as Record<string, unknown>
  };
}
