/**
 * The options object of an annotation, `{type:"slider", min:0, max:10}` or
 * `{ display-mode: "form", run: "auto" }`: JavaScript-like, with bare keys that may hold
 * hyphens and strings in either quote. Anything else reads as null, so the line stays code.
 */
import { isNumberText, readString } from './literals';

export type OptionValue = string | number | boolean | null;
export type Options = Record<string, OptionValue>;

const KEY = /^[A-Za-z_][\w-]*/;
const WORDS: Record<string, OptionValue> = {
  true: true,
  false: false,
  True: true,
  False: false,
  null: null,
  None: null
};

/** The options in `text`, which must be exactly one `{...}` object; null if malformed. */
export function readOptions(text: string): Options | null {
  const source = text.trim();
  const options: Options = {};
  let pos = 0;
  const skip = () => {
    while (pos < source.length && /\s/.test(source[pos])) {
      pos++;
    }
  };
  const expect = (char: string): boolean => {
    skip();
    if (source[pos] !== char) {
      return false;
    }
    pos++;
    return true;
  };
  const readKey = (): string | null => {
    skip();
    const read = readString(source, pos);
    if (read) {
      pos = read.end;
      return read.value;
    }
    const match = KEY.exec(source.slice(pos));
    if (!match) {
      return null;
    }
    pos += match[0].length;
    return match[0];
  };
  const readValue = (): { value: OptionValue } | null => {
    skip();
    const read = readString(source, pos);
    if (read) {
      pos = read.end;
      return { value: read.value };
    }
    const match = /^[^\s,}]+/.exec(source.slice(pos));
    if (!match) {
      return null;
    }
    pos += match[0].length;
    if (isNumberText(match[0])) {
      return { value: Number(match[0].replace(/_/g, '')) };
    }
    return match[0] in WORDS ? { value: WORDS[match[0]] } : null;
  };

  if (!expect('{')) {
    return null;
  }
  skip();
  if (source[pos] === '}') {
    pos++;
  } else {
    for (;;) {
      const key = readKey();
      if (key === null || !expect(':')) {
        return null;
      }
      const read = readValue();
      if (!read) {
        return null;
      }
      options[key] = read.value;
      skip();
      if (source[pos] === ',') {
        pos++;
        skip();
        if (source[pos] === '}') {
          pos++; // a trailing comma
          break;
        }
        continue;
      }
      if (!expect('}')) {
        return null;
      }
      break;
    }
  }
  skip();
  return pos === source.length ? options : null;
}
