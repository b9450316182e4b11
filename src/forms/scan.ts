/**
 * Splits a cell's source into lines and finds where each line's comment starts, outside string
 * literals, so that `s = "#@param"` is not an annotation and lines inside a triple-quoted
 * string are never read as annotations.
 */

export interface ILine {
  /** The line's text, without its line break. */
  text: string;
  /** Offset of the line's first character in the whole source. */
  offset: number;
  /** Index of the `#` that starts the comment, or -1. */
  commentStart: number;
  /** The line starts inside a triple-quoted string. */
  inString: boolean;
}

export function scanLines(source: string): ILine[] {
  const lines: ILine[] = [];
  let triple: string | null = null;
  let offset = 0;
  for (const text of source.split('\n')) {
    const inString = triple !== null;
    let quote: string | null = null;
    let commentStart = -1;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (triple !== null || quote !== null) {
        const open = (triple ?? quote) as string;
        if (char === '\\') {
          i++;
        } else if (text.startsWith(open, i)) {
          i += open.length - 1;
          triple = null;
          quote = null;
        }
      } else if (char === '#') {
        commentStart = i;
        break;
      } else if (char === '"' || char === "'") {
        if (text.startsWith(char.repeat(3), i)) {
          triple = char.repeat(3);
          i += 2;
        } else {
          quote = char;
        }
      }
    }
    lines.push({ text, offset, commentStart, inString });
    offset += text.length + 1;
  }
  return lines;
}
