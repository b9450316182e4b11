/**
 * The notebook cell executor: cells with `!` lines or `%%shell` run their shell parts on the
 * server and the rest in the kernel, in order; every other cell runs exactly as JupyterLab's
 * own executor runs it. In IPython kernels with colab-ext's kernel-side extension, the kernel
 * runs all of it (`!` lines always, `%%shell`/`%%bash` cells when the kernel says it is on),
 * unless the user's setting routes IPython's `!` lines here.
 */
import { ISessionContext } from '@jupyterlab/apputils';
import { CodeCell, ICodeCellModel } from '@jupyterlab/cells';
import { PathExt } from '@jupyterlab/coreutils';
import {
  INotebookCellExecutor,
  runCell as defaultRunCell
} from '@jupyterlab/notebook';
import { Kernel, KernelMessage, ServerConnection } from '@jupyterlab/services';
import { TranslationBundle } from '@jupyterlab/translation';
import type { JSONObject } from '@lumino/coreutils';

import { CellQueue } from './cellQueue';
import { runCommand, splitLongStreams } from './commandRun';
import { ShellConnection } from './connection';
import { asComments, ExecutionCounts } from './executionCount';
import { kernelRunsShell } from './kernelShell';
import { isScriptCell, planCell, Segment } from './parse';
import { shellApi, ShellApi } from './api';

export interface IShellExecutorOptions {
  trans: TranslationBundle;
  /** The user's setting: route IPython's own `!` lines through colab-ext too. */
  routeIPythonBang(): boolean;
  /** The app's `serviceManager.serverSettings`. */
  serverSettings: ServerConnection.ISettings;
}

/** Could the cell hold shell work? (Cheap and synchronous, to keep the run order.) */
function mayUseShell(source: string): boolean {
  return /^%%(shell|bash)\b/.test(source) || /^!/m.test(source);
}

export class ShellCellExecutor implements INotebookCellExecutor {
  constructor(private readonly options: IShellExecutorOptions) {
    this._api = shellApi(options.serverSettings);
  }

  runCell(options: INotebookCellExecutor.IRunCellOptions): Promise<boolean> {
    const { cell, sessionContext } = options;
    if (cell.model.type !== 'code' || !sessionContext) {
      return defaultRunCell(options);
    }
    const kernel = sessionContext.session?.kernel;
    if (kernel) {
      // From the first cell on, so that a later shell-only cell knows the count at once.
      this._executionCounts.watch(kernel);
    }
    const source = cell.model.sharedModel.getSource();
    return this._queueOf(sessionContext).schedule(
      mayUseShell(source),
      () => this._run(options, source, sessionContext),
      () => {
        // Skipped, as the kernel skips cells queued behind an error.
        const model = cell.model as ICodeCellModel;
        model.sharedModel.transact(() => model.clearExecution(), false);
        return false;
      }
    );
  }

  private async _run(
    options: INotebookCellExecutor.IRunCellOptions,
    source: string,
    sessionContext: ISessionContext
  ): Promise<boolean> {
    if (!mayUseShell(source)) {
      return defaultRunCell(options);
    }
    if (!sessionContext.session?.kernel && !sessionContext.hasNoKernel) {
      await sessionContext.ready; // a notebook just opened: its kernel is starting
    }
    const kernel = sessionContext.session?.kernel;
    if (!kernel) {
      return defaultRunCell(options);
    }
    const info = await kernel.info;
    const ipython = info.implementation === 'ipython';
    const routeBangs = !ipython || this.options.routeIPythonBang();
    // colab-ext's kernel-side extension runs `%%shell`/`%%bash` cells where `!` lines run: in
    // the kernel's folder and environment, with a real execution count.
    const inKernel =
      ipython &&
      !routeBangs &&
      isScriptCell(source) &&
      (await kernelRunsShell(kernel));
    const plan = inKernel ? null : planCell(source, { bangLines: routeBangs });
    if (!plan && ipython) {
      // The kernel runs its `!` lines (colab-ext's kernel-side extension): a flood of their
      // output goes on in new stream outputs, as the server's shell does, so the page stays live.
      const restore = splitLongStreams(
        (options.cell as CodeCell).model.outputs
      );
      try {
        return await defaultRunCell(options);
      } finally {
        restore();
      }
    }
    if (!plan) {
      return defaultRunCell(options);
    }
    return this._runPlan(options, plan, kernel, sessionContext);
  }

  private async _runPlan(
    options: INotebookCellExecutor.IRunCellOptions,
    plan: Segment[],
    kernel: Kernel.IKernelConnection,
    sessionContext: ISessionContext
  ): Promise<boolean> {
    const cell = options.cell as CodeCell;
    const model = cell.model;
    options.onCellExecutionScheduled({ cell });
    model.sharedModel.transact(
      () => {
        model.clearExecution();
        cell.outputHidden = false;
      },
      false,
      'silent-change'
    );
    model.executionState = 'running';
    model.trusted = true;
    // A shell-only cell gets a count of its own, asked beside its commands.
    const shellOnly = !plan.some(segment => segment.kind === 'code');
    const shownCount = shellOnly ? this._ownCount(kernel, cell) : null;
    const success = await this._runSegments(cell, plan, kernel, sessionContext);
    if (success === null) {
      return false; // the cell went away
    }
    if (shownCount) {
      this._counts.set(cell, await shownCount);
    }
    if (!cell.isDisposed) {
      model.executionCount = this._counts.get(cell) ?? null;
      model.executionState = 'idle';
    }
    this._counts.delete(cell);
    options.onCellExecuted({ cell, success });
    return success;
  }

  /** Run the cell's parts in order until one fails; null if the cell was disposed meanwhile. */
  private async _runSegments(
    cell: CodeCell,
    plan: Segment[],
    kernel: Kernel.IKernelConnection,
    sessionContext: ISessionContext
  ): Promise<boolean | null> {
    const unavailable = await this._unavailable();
    const cwd = PathExt.dirname(sessionContext.path);
    for (const segment of plan) {
      if (cell.isDisposed) {
        return null;
      }
      let success: boolean;
      if (segment.kind === 'shell' && unavailable) {
        cell.model.outputs.add({
          output_type: 'error',
          ename: 'ShellUnavailable',
          evalue: unavailable,
          traceback: []
        });
        success = false;
      } else if (segment.kind === 'shell') {
        const outcome = await runCommand({
          cell,
          connection: this._connectionOf(sessionContext, kernel.id),
          command: segment.command,
          cwd,
          strict: segment.strict,
          trans: this.options.trans
        });
        success = outcome === 'ok' || (outcome === 'failed' && !segment.strict);
      } else {
        success = await this._execute(cell, segment.code, kernel);
      }
      if (!success) {
        return false;
      }
    }
    return true;
  }

  /** A new execution count for a cell that runs only on the server: the kernel counts the cell
   * sent as comments (see executionCount.ts); else the kernel's latest count. */
  private async _ownCount(
    kernel: Kernel.IKernelConnection,
    cell: CodeCell
  ): Promise<number | null> {
    const info = await kernel.info;
    const comments = asComments(
      cell.model.sharedModel.getSource(),
      info.language_info.name
    );
    if (comments === null) {
      return this._latestCount(kernel);
    }
    try {
      const reply = await kernel.requestExecute({
        code: comments,
        store_history: true,
        allow_stdin: false,
        stop_on_error: false
      }).done;
      this._executionCounts.record(kernel, reply.content.execution_count);
      return reply.content.execution_count ?? null;
    } catch {
      return null;
    }
  }

  /** The kernel's latest execution count: known from IOPub, or (the kernel just started)
   * asked. */
  private _latestCount(
    kernel: Kernel.IKernelConnection
  ): Promise<number | null> {
    const known = this._executionCounts.latest(kernel);
    return known === undefined
      ? this._askCount(kernel)
      : Promise.resolve(known);
  }

  /** Run code in the kernel into the cell, keeping the outputs already there. */
  private async _execute(
    cell: CodeCell,
    code: string,
    kernel: Kernel.IKernelConnection
  ): Promise<boolean> {
    const metadata: JSONObject = {
      ...cell.model.metadata,
      cellId: cell.model.sharedModel.getId()
    };
    const tags = metadata.tags;
    const future = kernel.requestExecute(
      {
        code,
        stop_on_error: !(
          Array.isArray(tags) && tags.includes('raises-exception')
        )
      },
      false,
      metadata
    );
    // Unlike `future =`, this keeps the outputs of the shell lines before it.
    cell.outputArea.reattachFuture(future);
    let reply: KernelMessage.IExecuteReplyMsg;
    try {
      reply = await future.done;
    } catch {
      return false;
    }
    this._executionCounts.record(kernel, reply.content.execution_count);
    if (reply.content.execution_count !== undefined) {
      // Shown when the whole cell is done: a number beside a running cell reads as finished.
      this._counts.set(cell, reply.content.execution_count);
    }
    return reply.content.status === 'ok';
  }

  /** The kernel's current execution count, asked with an empty execution (no output, and
   * IPython does not count it). */
  private async _askCount(
    kernel: Kernel.IKernelConnection
  ): Promise<number | null> {
    try {
      const reply = await kernel.requestExecute({
        code: '',
        allow_stdin: false,
        stop_on_error: false
      }).done;
      this._executionCounts.record(kernel, reply.content.execution_count);
      return reply.content.execution_count ?? null;
    } catch {
      return null;
    }
  }

  /** Why shell commands cannot run on this server, or null. Asked once. */
  private _unavailable(): Promise<string | null> {
    if (!this._status) {
      this._status = this._api
        .status()
        .then(status =>
          status.enabled ? null : (status.reason ?? 'Shell commands are off.')
        )
        .catch(error => {
          this._status = null;
          return String(error.message ?? error);
        });
    }
    return this._status;
  }

  private _queueOf(sessionContext: ISessionContext): CellQueue {
    let queue = this._queues.get(sessionContext);
    if (!queue) {
      queue = new CellQueue();
      this._queues.set(sessionContext, queue);
    }
    return queue;
  }

  /** One socket per notebook and kernel; closing the notebook closes it, which ends its
   * commands on the server. */
  private _connectionOf(
    sessionContext: ISessionContext,
    kernelId: string
  ): ShellConnection {
    const current = this._connections.get(sessionContext);
    if (current && current.kernelId === kernelId && !current.isClosed) {
      return current;
    }
    current?.dispose();
    const connection = new ShellConnection(
      kernelId,
      this.options.serverSettings
    );
    this._connections.set(sessionContext, connection);
    if (!current) {
      sessionContext.disposed.connect(() => {
        this._connections.get(sessionContext)?.dispose();
        this._connections.delete(sessionContext);
      });
    }
    return connection;
  }

  private readonly _api: ShellApi;
  private _status: Promise<string | null> | null = null;
  private _executionCounts = new ExecutionCounts();
  private _counts = new WeakMap<CodeCell, number | null>();
  private _queues = new WeakMap<ISessionContext, CellQueue>();
  private _connections = new Map<ISessionContext, ShellConnection>();
}
