/**
 * One WebSocket to the server's shell route for one notebook's kernel. Commands started on it end
 * when it closes (the server sees to that), so it lives exactly as long as the notebook is open.
 */
import { ServerConnection } from '@jupyterlab/services';

import { colabSocketUrl } from '../request';
import { ClientMessage, IExitStatus, ServerMessage } from './protocol';

/** What a running command reports, as it happens. */
export interface ICommandCallbacks {
  output(stream: 'stdout' | 'stderr', text: string): void;
  echo(echo: boolean): void;
  /** The command started (true) or stopped waiting for input on its terminal. */
  reading(reading: boolean): void;
  limit(limit: number): void;
}

/** A refused command (bad folder, feature off, socket closed): a message for the user. */
export class ShellError extends Error {
  name = 'ShellError';
}

interface IPending {
  callbacks: ICommandCallbacks;
  resolve(status: IExitStatus): void;
  reject(error: Error): void;
}

let counter = 0;

export class ShellConnection {
  constructor(
    readonly kernelId: string,
    private readonly settings: ServerConnection.ISettings
  ) {}

  get isDisposed(): boolean {
    return this._disposed;
  }

  /** Whether the socket is gone (the server closed it, or the network dropped). */
  get isClosed(): boolean {
    return this._closed;
  }

  /**
   * Start `command` in `cwd` (relative to the server root). Resolves with its id once sent;
   * `done` settles when it exits.
   */
  async run(
    command: string,
    cwd: string,
    callbacks: ICommandCallbacks
  ): Promise<{ id: string; done: Promise<IExitStatus> }> {
    const socket = await this._open();
    const id = `c${Date.now().toString(36)}${(counter++).toString(36)}`;
    const done = new Promise<IExitStatus>((resolve, reject) => {
      this._pending.set(id, { callbacks, resolve, reject });
    });
    this._send(socket, { type: 'run', id, command, cwd });
    return { id, done };
  }

  /** Type into a command's terminal. */
  stdin(id: string, data: string): void {
    this._sendIfOpen({ type: 'stdin', id, data });
  }

  /** SIGINT to a command's process group. */
  interrupt(id: string): void {
    this._sendIfOpen({ type: 'interrupt', id });
  }

  dispose(): void {
    if (this._disposed) {
      return;
    }
    this._disposed = true;
    this._socket?.close();
    this._failAll('The notebook was closed.');
  }

  private _open(): Promise<WebSocket> {
    if (this._disposed) {
      return Promise.reject(new ShellError('The notebook was closed.'));
    }
    if (!this._opening) {
      this._closed = false;
      this._opening = new Promise<WebSocket>((resolve, reject) => {
        const socket = new this.settings.WebSocket(
          colabSocketUrl(
            this.settings,
            'shell',
            'kernels',
            encodeURIComponent(this.kernelId),
            'socket'
          )
        );
        this._socket = socket;
        socket.onopen = () => resolve(socket);
        socket.onmessage = event => this._receive(String(event.data));
        socket.onclose = () => {
          this._closed = true;
          this._opening = null;
          reject(
            new ShellError(
              'Could not connect to the server to run shell commands. Check that it is running.'
            )
          );
          this._failAll(
            'The connection to the server closed, so the command was ended.'
          );
        };
      });
    }
    return this._opening;
  }

  private _send(socket: WebSocket, message: ClientMessage): void {
    socket.send(JSON.stringify(message));
  }

  private _sendIfOpen(message: ClientMessage): void {
    if (this._socket && this._socket.readyState === WebSocket.OPEN) {
      this._send(this._socket, message);
    }
  }

  private _receive(raw: string): void {
    const message = JSON.parse(raw) as ServerMessage;
    const pending = message.id ? this._pending.get(message.id) : undefined;
    if (!pending) {
      return;
    }
    switch (message.type) {
      case 'output':
        pending.callbacks.output(message.stream, message.text);
        break;
      case 'echo':
        pending.callbacks.echo(message.echo);
        break;
      case 'reading':
        pending.callbacks.reading(message.reading);
        break;
      case 'limit':
        pending.callbacks.limit(message.limit);
        break;
      case 'exit':
        this._pending.delete(message.id);
        pending.resolve(message);
        break;
      case 'error':
        this._pending.delete(message.id!);
        pending.reject(new ShellError(message.message));
        break;
      default:
        break;
    }
  }

  private _failAll(reason: string): void {
    for (const pending of this._pending.values()) {
      pending.reject(new ShellError(reason));
    }
    this._pending.clear();
  }

  private _disposed = false;
  private _closed = false;
  private _socket: WebSocket | null = null;
  private _opening: Promise<WebSocket> | null = null;
  private _pending = new Map<string, IPending>();
}
