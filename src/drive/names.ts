/**
 * The name a copy saved in Drive gets, checked as it is typed (tested in `names.spec.ts`).
 *
 * The rules are the server's (`check_copy_name` in `colab_ext/drive/copies.py`): Drive takes
 * almost any name, but opening the copy from Drive or seeing it through the mount makes it one
 * safe file name, so a name that would change there is refused here, with the reason.
 */
import type { TranslationBundle } from '@jupyterlab/translation';

/** The most UTF-8 bytes a name keeps whole on the server (`SAFE_NAME_BYTES`). */
export const MAX_NAME_BYTES = 244;

/** What is wrong with a name. */
export type NameProblem = 'empty' | 'slash' | 'dots' | 'control' | 'long';

/** Control characters, lone surrogates, line and paragraph separators (the server's set). */
const UNSAFE = /[\p{Cc}\p{Cs}\p{Zl}\p{Zp}]/u;

/** The length of `text` in UTF-8 bytes (a lone surrogate counts as the 3 bytes it becomes). */
export function utf8Bytes(text: string): number {
  let bytes = 0;
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    bytes += code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
  }
  return bytes;
}

/** The copy's name as it is sent: what was typed, without surrounding spaces. */
export function cleanName(typed: string): string {
  return typed.trim();
}

/** What is wrong with `name` (already cleaned), or null when a copy may take it. */
export function nameProblem(name: string): NameProblem | null {
  if (!name) {
    return 'empty';
  }
  if (name.includes('/') || name.includes('\\')) {
    return 'slash';
  }
  if (name === '.' || name === '..') {
    return 'dots';
  }
  if (UNSAFE.test(name)) {
    return 'control';
  }
  return utf8Bytes(name) > MAX_NAME_BYTES ? 'long' : null;
}

/** The sentence shown under the field for `problem` in `name`. */
export function describeProblem(
  problem: NameProblem,
  name: string,
  trans: Pick<TranslationBundle, '__'>
): string {
  switch (problem) {
    case 'empty':
      return trans.__('Give the copy a file name.');
    case 'slash':
      return trans.__(
        "A file name may not contain '/' or '\\'. Choose the folder above."
      );
    case 'dots':
      return trans.__("A file name may not be '.' or '..'.");
    case 'control':
      return trans.__(
        'A file name may not contain a tab, a line break or another invisible character.'
      );
    case 'long':
      return trans.__(
        'The name is %1 bytes long, longer than %2 bytes (a letter outside ASCII takes 2 to 4). Use a shorter name.',
        utf8Bytes(name),
        MAX_NAME_BYTES
      );
  }
}
