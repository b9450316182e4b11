/**
 * Splitting a cell into what the server's shell runs and what the kernel runs, in the order the
 * user wrote them. Pure: no JupyterLab, so it is tested on its own.
 */

/** A piece of a cell: shell commands, or code for the kernel. */
export type Segment =
  | {
      kind: 'shell';
      /** The text given to the shell (`bash -c`). */
      command: string;
      /** `%%shell` cells fail on a non-zero exit (as in Colab); `!` lines report it and go on. */
      strict: boolean;
    }
  | { kind: 'code'; code: string };

export interface IPlanOptions {
  /** Whether lines starting with `!` are shell commands (not in IPython, by default). */
  bangLines: boolean;
}

const SHELL_MAGIC = /^%%(shell|bash)\b[^\n]*(\n|$)/;

/** Whether the cell is one `%%shell` or `%%bash` script. */
export function isScriptCell(source: string): boolean {
  return SHELL_MAGIC.test(source);
}

/**
 * The segments of a cell, or `null` when it has nothing for the shell (the kernel runs it as is).
 *
 * A cell that starts with `%%shell` is one shell script. Otherwise, with `bangLines`, each line
 * that starts with `!` (in the first column, so indented code keeps its meaning) is one command,
 * like IPython's and Colab's `!` (so `!cd x` does not carry over to the next line); the lines
 * between them go to the kernel together.
 */
export function planCell(
  source: string,
  options: IPlanOptions
): Segment[] | null {
  const magic = SHELL_MAGIC.exec(source);
  if (magic) {
    return [
      { kind: 'shell', command: source.slice(magic[0].length), strict: true }
    ];
  }
  if (!options.bangLines || !/^!/m.test(source)) {
    return null;
  }
  const segments: Segment[] = [];
  let code: string[] = [];
  const flushCode = () => {
    if (code.some(line => line.trim() !== '')) {
      segments.push({ kind: 'code', code: code.join('\n') });
    }
    code = [];
  };
  for (const line of source.split('\n')) {
    if (line.startsWith('!')) {
      flushCode();
      const command = line.slice(1).trim();
      if (command !== '') {
        segments.push({ kind: 'shell', command, strict: false });
      }
    } else {
      code.push(line);
    }
  }
  flushCode();
  return segments;
}

/** A short form of a command for notes ("`make test` exited with code 2"). */
export function shortCommand(command: string, max = 60): string {
  const oneLine = command.trim().split('\n')[0];
  const more = oneLine.length > max || command.trim().includes('\n');
  return more ? `${oneLine.slice(0, max).trimEnd()}…` : oneLine;
}

/** Sizes for notes: 1536 -> "1.5 KiB". */
export function formatSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}
