/**
 * Running one shell command into a code cell: live stream outputs (saved with the notebook), an
 * input box while it runs, and notes for the output cap, a non-zero exit and an interrupt.
 */
import { CodeCell } from '@jupyterlab/cells';
import type * as nbformat from '@jupyterlab/nbformat';
import type { IOutputAreaModel } from '@jupyterlab/outputarea';
import type { IOutputModel } from '@jupyterlab/rendermime';
import { TranslationBundle } from '@jupyterlab/translation';

import { ShellConnection, ShellError } from './connection';
import { IStreamChunk, OutputBatcher } from './outputBatcher';
import { formatSize, shortCommand } from './parse';
import { IExitStatus } from './protocol';
import { StdinBox } from './stdinBox';

/** How a command went, for the cell: go on, or stop the cell (and queued cells). */
export type CommandOutcome = 'ok' | 'failed' | 'interrupted' | 'refused';

const SIGINT = 2;

/** A command that ends sooner never shows the input box: no flash of it under a quick `!ls`, and
 * no layout work on the way to done. Nobody answers a prompt faster than this. */
const STDIN_BOX_DELAY_MS = 100;

/** Add stream output to the cell's model: JupyterLab joins it to the last output of the same
 * stream and applies `\r` and `\b` as a terminal does, so progress bars redraw in place. */
function writeChunks(cell: CodeCell, chunks: IStreamChunk[]): void {
  if (cell.isDisposed) {
    return;
  }
  for (const chunk of chunks) {
    cell.model.outputs.add({
      output_type: 'stream',
      name: chunk.stream,
      text: chunk.text
    });
  }
}

/** A stream output is rendered again in full on every append, so a flood would cost ever more
 * per update. Past this size (at a line end), output goes on in a new stream output: only the last
 * one re-renders. The saved notebook is the same text; JupyterLab joins them again on load.
 * (`seq 1 2000000` in Chromium: at 64 KiB, done in 3.0-3.6 s with frames of up to 0.8-1.2 s; at
 * 16 KiB, with 32 KiB batches, done in 1.5-1.8 s, no frame over 170 ms.) */
const SPLIT_STREAMS_AT = 16 * 1024;

type CombineCheck = (options: {
  value: nbformat.IOutput;
  lastModel: IOutputModel;
}) => boolean;

/** Have the cell's outputs start a new stream output past `SPLIT_STREAMS_AT`; returns the undo.
 * (`shouldCombine` is the output model's documented extension point, protected in its typings.) */
export function splitLongStreams(outputs: IOutputAreaModel): () => void {
  const model = outputs as unknown as { shouldCombine: CombineCheck };
  const original = model.shouldCombine;
  model.shouldCombine = function (this: unknown, options) {
    const text = options.lastModel.streamText?.text ?? '';
    if (text.length > SPLIT_STREAMS_AT && text.endsWith('\n')) {
      return false;
    }
    return original.call(this, options);
  };
  return () => {
    model.shouldCombine = original;
  };
}

/** The command waits for input: the unfinished last line of its stderr is its prompt (bash's
 * `read -p` writes there), not an error. Moved to stdout, where the typed answer's echo follows
 * it, so "name? Ada" reads as one line right above the input box. */
function promotePrompt(cell: CodeCell): void {
  const outputs = cell.model.outputs;
  const index = outputs.length - 1;
  if (cell.isDisposed || index < 0) {
    return;
  }
  const last = outputs.get(index).toJSON();
  if (last.output_type !== 'stream' || last.name !== 'stderr') {
    return;
  }
  const raw = (last as nbformat.IStream).text;
  const text = Array.isArray(raw) ? raw.join('') : raw;
  const cut = text.lastIndexOf('\n') + 1;
  const prompt = text.slice(cut);
  if (!prompt) {
    return;
  }
  // The caller has taken the input box out of the output area: it keeps its widgets by index.
  if (cut > 0) {
    outputs.set(index, { ...last, text: text.slice(0, cut) });
  } else {
    outputs.remove(index);
  }
  // A new stdout output (the model joins only outputs added one after the other), which the
  // typed answer's echo then joins.
  outputs.add({ output_type: 'stream', name: 'stdout', text: prompt });
}

/** A short note under the output, on stderr so it reads as a message from the system. */
function note(cell: CodeCell, text: string): void {
  writeChunks(cell, [{ stream: 'stderr', text }]);
}

function errorOutput(cell: CodeCell, ename: string, evalue: string): void {
  if (!cell.isDisposed) {
    cell.model.outputs.add({
      output_type: 'error',
      ename,
      evalue,
      traceback: []
    });
  }
}

export interface ICommandRun {
  cell: CodeCell;
  connection: ShellConnection;
  command: string;
  /** Folder relative to the server root (the notebook's). */
  cwd: string;
  /** `%%shell`: a non-zero exit fails the cell. */
  strict: boolean;
  trans: TranslationBundle;
}

/** Run one command; resolves when it has ended and its output is in the cell. */
export async function runCommand(run: ICommandRun): Promise<CommandOutcome> {
  const { cell, connection, trans } = run;
  const batcher = new OutputBatcher(chunks => writeChunks(cell, chunks));
  let commandId = '';
  const box = new StdinBox({
    send: data => {
      // An answer typed before the server said "waiting for input" (it waits for two quiet
      // checks in a row) still answers the prompt above it: lift it out of stderr first.
      liftPrompt(false);
      connection.stdin(commandId, data);
    },
    interrupt: () => connection.interrupt(commandId),
    label: trans.__('stdin'),
    passwordTitle: trans.__('Typing is hidden: the command turned echo off'),
    placeholder: trans.__(
      'Input for the command; Enter sends a line, Ctrl-D ends input'
    )
  });
  let status: IExitStatus;
  let showBox: ReturnType<typeof setTimeout> | undefined;
  /** The output so far in the cell, its unfinished stderr line moved to stdout as the prompt,
   * and the input box under it again. */
  const liftPrompt = (focus: boolean): void => {
    if (cell.isDisposed || box.isDisposed) {
      return;
    }
    const layout = cell.outputArea.layout;
    const attached = box.isAttached;
    layout.removeWidget(box);
    batcher.flush();
    promotePrompt(cell);
    if (attached || focus) {
      layout.addWidget(box);
      box.focusInput();
    }
  };
  const restoreCombine = splitLongStreams(cell.model.outputs);
  try {
    const handle = await connection.run(run.command, run.cwd, {
      output: (stream, text) => batcher.push(stream, text),
      echo: echo => {
        box.hidden = !echo;
      },
      reading: reading => {
        if (!reading) {
          return;
        }
        clearTimeout(showBox);
        liftPrompt(true);
      },
      limit: limit => {
        // Through the batcher, so the note follows the output before it.
        batcher.push(
          'stderr',
          trans.__(
            '\n[Output limit of %1 reached: the rest of this command’s output is not shown. The command keeps running.]\n',
            formatSize(limit)
          )
        );
      }
    });
    commandId = handle.id;
    showBox = setTimeout(() => {
      if (!cell.isDisposed && !box.isDisposed && !box.isAttached) {
        cell.outputArea.layout.addWidget(box);
      }
    }, STDIN_BOX_DELAY_MS);
    status = await handle.done;
  } catch (error) {
    clearTimeout(showBox);
    await batcher.drain();
    box.dispose();
    const message = error instanceof ShellError ? error.message : String(error);
    errorOutput(cell, 'ShellError', message);
    restoreCombine();
    return 'refused';
  }
  clearTimeout(showBox);
  await batcher.drain();
  restoreCombine();
  box.dispose();
  return reportExit(run, status);
}

function reportExit(run: ICommandRun, status: IExitStatus): CommandOutcome {
  const { cell, trans } = run;
  const short = shortCommand(run.command);
  if (status.dropped > 0) {
    note(
      cell,
      trans.__('[%1 of output left out.]\n', formatSize(status.dropped))
    );
  }
  if (status.interrupted || status.signal === SIGINT) {
    errorOutput(
      cell,
      'KeyboardInterrupt',
      trans.__('`%1` was interrupted.', short)
    );
    return 'interrupted';
  }
  if (status.signal !== null) {
    errorOutput(
      cell,
      'ShellError',
      trans.__('`%1` was ended by signal %2.', short, status.signal)
    );
    return 'interrupted';
  }
  if (status.code === 0) {
    return 'ok';
  }
  if (run.strict) {
    // As Colab's %%shell reports it.
    errorOutput(
      cell,
      'CalledProcessError',
      trans.__(
        "Command '%1' returned non-zero exit status %2.",
        short,
        status.code
      )
    );
    return 'failed';
  }
  note(cell, trans.__('[`%1` exited with code %2]\n', short, status.code));
  return 'failed';
}
