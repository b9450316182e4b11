/**
 * Reading and writing the literals a form field can hold: Python-style strings, numbers,
 * booleans and `None`, and list literals of them. The form writes values back in the user's own
 * style (their quote character, their spelling of booleans), so the cell stays plain code.
 */

export type Quote = '"' | "'";

/** One literal, as written in the source and as shown in a form. */
export interface ILiteral {
  kind: 'string' | 'number' | 'boolean' | 'none';
  /** The literal exactly as in the source. */
  text: string;
  /** What a form shows: a string's content, otherwise the source text. */
  value: string;
  /** The quote of a string literal. */
  quote?: Quote;
}

const NUMBER = /^[+-]?(\d[\d_]*(\.[\d_]*)?|\.\d[\d_]*)([eE][+-]?\d+)?$/;
const INTEGER = /^[+-]?\d[\d_]*$/;
/** Boolean spellings of Python, R and Julia/Ruby, so any `#`-comment language reads back. */
const BOOLEANS: Record<string, boolean> = {
  True: true,
  False: false,
  TRUE: true,
  FALSE: false,
  true: true,
  false: false
};
const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v'
};

export function isNumberText(text: string): boolean {
  return NUMBER.test(text);
}

export function isIntegerText(text: string): boolean {
  return INTEGER.test(text);
}

/** `True`/`False` in the spelling family of `like` (`true`, `TRUE` or `True`). */
export function booleanText(value: boolean, like: string): string {
  if (like === 'true' || like === 'false') {
    return value ? 'true' : 'false';
  }
  if (like === 'TRUE' || like === 'FALSE') {
    return value ? 'TRUE' : 'FALSE';
  }
  return value ? 'True' : 'False';
}

export function booleanOf(text: string): boolean | null {
  return text in BOOLEANS ? BOOLEANS[text] : null;
}

/**
 * Read a single- or double-quoted string literal (no prefix, no triple quotes) starting at
 * `start`; null when there is none there or it does not end on this line.
 */
export function readString(
  text: string,
  start: number
): { value: string; quote: Quote; end: number } | null {
  const quote = text[start];
  if (quote !== '"' && quote !== "'") {
    return null;
  }
  if (text.startsWith(quote.repeat(3), start)) {
    return null; // triple-quoted strings may span lines: not a form value
  }
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const char = text[i];
    if (char === quote) {
      return { value, quote, end: i + 1 };
    }
    if (char === '\n') {
      return null;
    }
    if (char !== '\\') {
      value += char;
      continue;
    }
    const next = text[++i];
    if (next === undefined) {
      return null;
    }
    const hex = { x: 2, u: 4, U: 8 }[next];
    if (hex !== undefined) {
      const digits = text.slice(i + 1, i + 1 + hex);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== hex) {
        return null;
      }
      value += String.fromCodePoint(parseInt(digits, 16));
      i += hex;
    } else if (next in SIMPLE_ESCAPES) {
      value += SIMPLE_ESCAPES[next];
    } else {
      value += '\\' + next; // Python keeps unknown escapes as they are
    }
  }
  return null;
}

/** A string literal for `value` in the given quote, escaped as Python reads it. */
export function quoteString(value: string, quote: Quote): string {
  let body = '';
  for (const char of value) {
    if (char === '\\' || char === quote) {
      body += '\\' + char;
    } else if (char === '\n') {
      body += '\\n';
    } else if (char === '\r') {
      body += '\\r';
    } else if (char === '\t') {
      body += '\\t';
    } else if (char < ' ' || char === '\x7f') {
      body += '\\x' + char.charCodeAt(0).toString(16).padStart(2, '0');
    } else {
      body += char;
    }
  }
  return quote + body + quote;
}

/** The literal that is exactly `text` (surrounding blanks aside), or null. */
export function readLiteral(text: string): ILiteral | null {
  const trimmed = text.trim();
  if (trimmed.startsWith('"') || trimmed.startsWith("'")) {
    const read = readString(trimmed, 0);
    if (!read || read.end !== trimmed.length) {
      return null;
    }
    return {
      kind: 'string',
      text: trimmed,
      value: read.value,
      quote: read.quote
    };
  }
  if (isNumberText(trimmed)) {
    return { kind: 'number', text: trimmed, value: trimmed };
  }
  if (booleanOf(trimmed) !== null) {
    return { kind: 'boolean', text: trimmed, value: trimmed };
  }
  if (trimmed === 'None' || trimmed === 'NULL' || trimmed === 'nothing') {
    return { kind: 'none', text: trimmed, value: trimmed };
  }
  return null;
}

/**
 * The end (exclusive) of the bracketed group opening at `start` (`[` or `{`), skipping quoted
 * strings; -1 when it is not closed.
 */
export function matchBracket(text: string, start: number): number {
  const close = text[start] === '[' ? ']' : '}';
  const open = text[start];
  let depth = 0;
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"' || char === "'") {
      const read = readString(text, i);
      if (!read) {
        return -1;
      }
      i = read.end - 1;
    } else if (char === open) {
      depth++;
    } else if (char === close && --depth === 0) {
      return i + 1;
    }
  }
  return -1;
}

/** The items of a list literal of literals (`["a", 'b', 1]`), or null. */
export function readList(text: string): ILiteral[] | null {
  const trimmed = text.trim();
  if (!trimmed.startsWith('[') || matchBracket(trimmed, 0) !== trimmed.length) {
    return null;
  }
  const items: ILiteral[] = [];
  let pos = 1;
  const body = trimmed.slice(0, -1);
  while (pos < body.length) {
    // Each item runs to the next comma outside a string.
    let end = pos;
    while (end < body.length && body[end] !== ',') {
      if (body[end] === '"' || body[end] === "'") {
        const read = readString(body, end);
        if (!read) {
          return null;
        }
        end = read.end;
      } else {
        end++;
      }
    }
    const part = body.slice(pos, end);
    if (part.trim() !== '') {
      const item = readLiteral(part);
      if (!item) {
        return null;
      }
      items.push(item);
    } else if (end < body.length) {
      return null; // an empty item between commas: `[1,,2]`
    }
    pos = end + 1;
  }
  return items;
}
