/**
 * Colab's form annotations, read from a code cell's source without running anything:
 * `x = 5 #@param {type:"integer"}`, `#@title Settings { display-mode: "form" }` and
 * `#@markdown text` (also written `# @param` and so on, as Colab accepts). A line whose
 * annotation is malformed or unknown yields nothing and stays plain code.
 */
import {
  booleanOf,
  ILiteral,
  isIntegerText,
  isNumberText,
  matchBracket,
  Quote,
  readList,
  readLiteral
} from './literals';
import { Options, readOptions } from './options';
import { ILine, scanLines } from './scan';

export type DisplayMode = 'form' | 'both' | 'code';

export type FieldKind =
  | 'string'
  | 'number'
  | 'integer'
  | 'boolean'
  | 'date'
  | 'raw'
  | 'dropdown'
  | 'slider';

/** How a dropdown writes its items back: as written, quoted as strings, or verbatim. */
export type ItemStyle = 'literal' | 'quoted' | 'verbatim';

/** One `#@param` line. */
export interface IParamField {
  type: 'param';
  kind: FieldKind;
  /** The assigned name, e.g. `model` or `args.lr`. */
  name: string;
  /** The line's index in the cell. */
  line: number;
  /** The value's range in the whole source (end exclusive). */
  from: number;
  to: number;
  /** The value as written in the source. */
  text: string;
  /** What the field shows: a string's content, a number's text, a raw value's code. */
  value: string;
  /** The user's quote, kept when a new string is written. */
  quote: Quote;
  items?: ILiteral[];
  itemStyle?: ItemStyle;
  allowInput?: boolean;
  min?: number;
  max?: number;
  step?: number;
  placeholder?: string;
}

/** Consecutive `#@markdown` lines, one block of markdown. */
export interface IMarkdownBlock {
  type: 'markdown';
  line: number;
  text: string;
}

export type FormItem = IParamField | IMarkdownBlock;

export interface IFormSpec {
  /** The `#@title` text; null without a title ('' for `#@title { ... }` alone). */
  title: string | null;
  displayMode: DisplayMode;
  /** `run: "auto"`: a changed field runs the cell. */
  runAuto: boolean;
  items: FormItem[];
}

const TITLE = /^#\s*@title(?![\w-])(.*)$/;
const MARKDOWN = /^#\s*@markdown(?![\w-])(.*)$/;
const PARAM = /^#\s*@param(?![\w-])(.*)$/;
/** `name = value`, `name: type = value` and R's `name <- value`. */
const ASSIGNMENT =
  /^(\s*)([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)\s*(?::[^=]*?)?(?:=(?!=)|<-)/;
const TYPES = new Set([
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'raw'
]);

/** The form of a cell's source, or null when no line is annotated. */
export function parseForm(source: string): IFormSpec | null {
  const spec: IFormSpec = {
    title: null,
    displayMode: 'both',
    runAuto: false,
    items: []
  };
  const lines = scanLines(source);
  lines.forEach((line, index) => {
    if (line.inString || line.commentStart < 0) {
      return;
    }
    const comment = line.text.slice(line.commentStart).trimEnd();
    const code = line.text.slice(0, line.commentStart);
    if (code.trim() === '') {
      readCommentLine(spec, comment, index);
      return;
    }
    const field = readParam(line, comment, index);
    if (field) {
      spec.items.push(field);
    }
  });
  return spec.title === null && spec.items.length === 0 ? null : spec;
}

/** A whole-line `#@title` or `#@markdown` comment. */
function readCommentLine(spec: IFormSpec, comment: string, index: number) {
  const markdown = MARKDOWN.exec(comment);
  if (markdown) {
    // Colab drops the one space after the annotation; the rest is the author's.
    const text = markdown[1].replace(/^ /, '');
    const last = spec.items[spec.items.length - 1];
    if (
      last?.type === 'markdown' &&
      last.line + countLines(last.text) === index
    ) {
      last.text += '\n' + text;
    } else {
      spec.items.push({ type: 'markdown', line: index, text });
    }
    return;
  }
  const title = TITLE.exec(comment);
  if (!title || spec.title !== null) {
    return;
  }
  let text = title[1].trim();
  const brace = text.indexOf('{');
  if (brace >= 0) {
    const options = readOptions(text.slice(brace));
    if (!options) {
      return;
    }
    text = text.slice(0, brace).trim();
    const mode = options['display-mode'];
    if (mode === 'form' || mode === 'both' || mode === 'code') {
      spec.displayMode = mode;
    }
    spec.runAuto = options.run === 'auto';
  }
  spec.title = text;
}

function countLines(text: string): number {
  return text.split('\n').length;
}

/** A `name = value #@param ...` line, or null. */
function readParam(
  line: ILine,
  comment: string,
  index: number
): IParamField | null {
  const param = PARAM.exec(comment);
  const assignment = ASSIGNMENT.exec(line.text.slice(0, line.commentStart));
  if (!param || !assignment) {
    return null;
  }
  const annotation = readAnnotation(param[1].trim());
  if (!annotation) {
    return null;
  }
  const codeEnd = line.commentStart;
  const rawValue = line.text.slice(assignment[0].length, codeEnd);
  const text = rawValue.trim();
  if (text === '') {
    return null;
  }
  const from =
    line.offset +
    assignment[0].length +
    (rawValue.length - rawValue.trimStart().length);
  return typedField(annotation, {
    type: 'param',
    kind: 'raw',
    name: assignment[2],
    line: index,
    from,
    to: from + text.length,
    text,
    value: text,
    quote: '"'
  });
}

/** `[items] {options}`, `[items]`, `{options}` or nothing, after `#@param`. */
function readAnnotation(
  rest: string
): { items: ILiteral[] | null; options: Options } | null {
  let items: ILiteral[] | null = null;
  if (rest.startsWith('[')) {
    const end = matchBracket(rest, 0);
    items = end < 0 ? null : readList(rest.slice(0, end));
    if (!items || items.length === 0) {
      return null;
    }
    rest = rest.slice(end).trim();
  }
  if (rest === '') {
    return { items, options: {} };
  }
  const options = readOptions(rest);
  return options ? { items, options } : null;
}

/** The field for an annotation and the value written in the source; null if they do not fit. */
function typedField(
  annotation: { items: ILiteral[] | null; options: Options },
  field: IParamField
): IParamField | null {
  const { items, options } = annotation;
  const type = options.type;
  const literal = readLiteral(field.text);
  if (literal?.quote) {
    field.quote = literal.quote;
  }
  if (typeof options.placeholder === 'string') {
    field.placeholder = options.placeholder;
  }
  if (items) {
    return dropdownField(field, items, literal, options);
  }
  if (type === 'slider') {
    return sliderField(field, literal, options);
  }
  if (type === undefined) {
    // No type: the value's own kind, as Colab guesses it.
    const inferred: FieldKind =
      literal?.kind === 'string'
        ? 'string'
        : literal?.kind === 'boolean'
          ? 'boolean'
          : literal?.kind === 'number'
            ? isIntegerText(literal.text)
              ? 'integer'
              : 'number'
            : 'raw';
    return withKind(field, inferred, literal);
  }
  if (typeof type !== 'string' || !TYPES.has(type)) {
    return null;
  }
  return withKind(field, type as FieldKind, literal);
}

function withKind(
  field: IParamField,
  kind: FieldKind,
  literal: ILiteral | null
): IParamField | null {
  field.kind = kind;
  switch (kind) {
    case 'string':
    case 'date':
      if (literal?.kind !== 'string') {
        return null;
      }
      field.value = literal.value;
      return field;
    case 'number':
      return isNumberText(field.text) ? field : null;
    case 'integer':
      return isIntegerText(field.text) ? field : null;
    case 'boolean':
      return booleanOf(field.text) === null ? null : field;
    default:
      return field; // raw: any code
  }
}

function sliderField(
  field: IParamField,
  literal: ILiteral | null,
  options: Options
): IParamField | null {
  const { min, max } = options;
  const step = options.step ?? 1;
  if (
    literal?.kind !== 'number' ||
    typeof min !== 'number' ||
    typeof max !== 'number' ||
    typeof step !== 'number' ||
    !(min <= max) ||
    !(step > 0)
  ) {
    return null;
  }
  return { ...field, kind: 'slider', min, max, step };
}

function dropdownField(
  field: IParamField,
  items: ILiteral[],
  literal: ILiteral | null,
  options: Options
): IParamField | null {
  const type = options.type;
  let itemStyle: ItemStyle;
  if (type === undefined) {
    itemStyle = 'literal';
  } else if (type === 'string' || type === 'date') {
    itemStyle = 'quoted';
  } else if (type === 'raw' || type === 'integer' || type === 'number') {
    itemStyle = 'verbatim';
  } else {
    return null;
  }
  if (itemStyle === 'verbatim') {
    // Verbatim items (`np.float32`) are code: the value may be any code, shown as written.
    field.value = field.text;
  } else if (
    !literal ||
    (itemStyle === 'quoted' && literal.kind !== 'string')
  ) {
    return null;
  } else {
    field.value = literal.value;
  }
  // New strings keep the value's quote, else the items' quote.
  field.quote = literal?.quote ?? items.find(item => item.quote)?.quote ?? '"';
  return {
    ...field,
    kind: 'dropdown',
    items,
    itemStyle,
    allowInput: options['allow-input'] === true
  };
}
