/**
 * The runtime feature's server routes (`colab_ext/openapi.yaml`, tag `runtime`), typed.
 */
import { ServerConnection } from '@jupyterlab/services';

import { requestAPI } from '../request';
import { IAboutRuntime } from './about';
import { IKernelLifetime } from './lifetime/model';
import { IKernelRuntime, IRuntimeChoice, IRuntimeTypes } from './runtimeType';

function kernelType(kernelId: string): string {
  return `runtime/kernels/${encodeURIComponent(kernelId)}/type`;
}

function kernelLifetime(kernelId: string): string {
  return `runtime/kernels/${encodeURIComponent(kernelId)}/lifetime`;
}

/** The runtime routes, on the app's server settings. */
export function runtimeApi(settings: ServerConnection.ISettings) {
  return {
    /** Versions, machine, GPUs and running kernels. */
    about: () => requestAPI<IAboutRuntime>('runtime/about', {}, settings),
    /** The types this server offers, with why each unavailable one is. */
    types: (kernelId: string | null) =>
      requestAPI<IRuntimeTypes>(
        kernelId
          ? `runtime/types?kernel_id=${encodeURIComponent(kernelId)}`
          : 'runtime/types',
        {},
        settings
      ),
    /** What a kernel runs as. */
    kernelRuntime: (kernelId: string) =>
      requestAPI<IKernelRuntime>(kernelType(kernelId), {}, settings),
    /** Restart a kernel as another type; on a gateway the answer names a new kernel. */
    changeKernelRuntime: (kernelId: string, choice: IRuntimeChoice) =>
      requestAPI<IKernelRuntime>(
        kernelType(kernelId),
        { method: 'PUT', body: JSON.stringify(choice) },
        settings
      ),
    /** How long a kernel has been up, and when it would be shut down (404: why it went). */
    kernelLifetime: (kernelId: string) =>
      requestAPI<IKernelLifetime>(kernelLifetime(kernelId), {}, settings),
    /** Keep a kernel running: activity for the idle culler, one more period where allowed. */
    keepKernel: (kernelId: string) =>
      requestAPI<IKernelLifetime>(
        `${kernelLifetime(kernelId)}/keep`,
        { method: 'POST' },
        settings
      )
  };
}

/** The runtime routes, as the plugins hand them to the dialogs. */
export type RuntimeApi = ReturnType<typeof runtimeApi>;
