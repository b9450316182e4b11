/**
 * The messages of the shell WebSocket (`colab/shell/kernels/{kernel_id}/socket`), as documented
 * in `colab_ext/openapi.yaml` (ShellClientMessage, ShellServerMessage).
 */

export type ClientMessage =
  | { type: 'run'; id: string; command: string; cwd?: string }
  | { type: 'stdin'; id: string; data: string }
  | { type: 'interrupt'; id: string }
  | { type: 'terminate'; id: string };

export type ServerMessage =
  | { type: 'started'; id: string; pid: number }
  | { type: 'output'; id: string; stream: 'stdout' | 'stderr'; text: string }
  | { type: 'echo'; id: string; echo: boolean }
  | { type: 'reading'; id: string; reading: boolean }
  | { type: 'limit'; id: string; limit: number }
  | ({ type: 'exit'; id: string } & IExitStatus)
  | { type: 'error'; id?: string; message: string };

/** How a command ended. */
export interface IExitStatus {
  code: number;
  signal: number | null;
  interrupted: boolean;
  /** Bytes of output past the cap, read and left out. */
  dropped: number;
}

/** `GET colab/shell/status`. */
export interface IShellStatus {
  enabled: boolean;
  reason: string | null;
  output_limit: number;
}
