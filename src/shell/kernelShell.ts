/**
 * Whether an IPython kernel runs shell commands itself, through colab-ext's kernel-side
 * extension (`colab_ext_shell`, loaded in every ipykernel this server starts).
 *
 * Asked of the kernel, not the server: the kernel is the one that knows (a gateway kernel, a
 * kernel started with `JPY_COLAB_EXT_SHELL=off`, `%colab_ext_shell off` in the notebook). The
 * answer comes from a silent request (no execution count, no output), once per `%%shell` cell.
 */
import { Kernel } from '@jupyterlab/services';

/** True when the extension is loaded and on; false otherwise, or when the kernel cannot say.
 * Local kernels load it as `colab_ext_shell`; a kernel image with colab-ext installed (a gateway's)
 * as `colab_ext.kernel_site.colab_ext_shell`. */
const EXPRESSION =
  "any(getattr(__import__('sys').modules.get(name), 'is_on', lambda: False)() for name in " +
  "('colab_ext_shell', 'colab_ext.kernel_site.colab_ext_shell'))";

export async function kernelRunsShell(
  kernel: Kernel.IKernelConnection
): Promise<boolean> {
  try {
    const reply = await kernel.requestExecute(
      {
        code: '',
        silent: true,
        store_history: false,
        user_expressions: { on: EXPRESSION },
        allow_stdin: false,
        stop_on_error: false
      },
      true
    ).done;
    const content = reply.content;
    if (content.status !== 'ok') {
      return false;
    }
    const answer = content.user_expressions['on'] as
      { status?: string; data?: { 'text/plain'?: string } } | undefined;
    return answer?.status === 'ok' && answer.data?.['text/plain'] === 'True';
  } catch {
    return false;
  }
}
