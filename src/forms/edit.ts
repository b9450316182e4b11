/**
 * What a changed field writes into the source: the new value's code, in the user's style, and
 * the range of the source it replaces. Pure, so that every kind is tested without a notebook.
 */
import { IParamField } from './parser';
import {
  booleanText,
  isIntegerText,
  isNumberText,
  quoteString
} from './literals';

/** A replacement of `source.slice(from, to)` by `text`. */
export interface ISourceEdit {
  from: number;
  to: number;
  text: string;
}

/**
 * The code for a field's new value (a checkbox's boolean, otherwise the control's text); null
 * when the input is not a valid value of the field's kind (the source is then left alone).
 */
export function formatValue(
  field: IParamField,
  input: string | boolean
): string | null {
  if (typeof input === 'boolean') {
    return field.kind === 'boolean' ? booleanText(input, field.text) : null;
  }
  switch (field.kind) {
    case 'string':
    case 'date':
      return quoteString(input, field.quote);
    case 'number':
      return isNumberText(input.trim()) ? input.trim() : null;
    case 'integer':
      return isIntegerText(input.trim()) ? input.trim() : null;
    case 'slider':
      return sliderText(field, input);
    case 'dropdown':
      return dropdownText(field, input);
    case 'raw':
      return input.trim() === '' ? null : input.trim();
    default:
      return null;
  }
}

/** The edit that writes `input` into the field's line, or null (invalid or unchanged). */
export function editFor(
  field: IParamField,
  input: string | boolean
): ISourceEdit | null {
  const text = formatValue(field, input);
  if (text === null || text === field.text) {
    return null;
  }
  return { from: field.from, to: field.to, text };
}

/** A slider's value, rounded to the decimals of its step and min (no `0.30000000000000004`). */
function sliderText(field: IParamField, input: string): string | null {
  const value = Number(input);
  if (input.trim() === '' || !Number.isFinite(value)) {
    return null;
  }
  const min = field.min ?? 0;
  const max = field.max ?? value;
  const clamped = Math.min(max, Math.max(min, value));
  const decimals = Math.max(decimalsOf(field.step ?? 1), decimalsOf(min));
  // A fractional slider keeps writing floats (`1.0`, not `1`): the type of the value stays put.
  return decimals === 0
    ? clamped.toFixed(0)
    : clamped
        .toFixed(decimals)
        .replace(/(\.\d*?)0+$/, '$1')
        .replace(/\.$/, '.0');
}

function decimalsOf(value: number): number {
  const text = String(value);
  if (text.includes('e-')) {
    return Number(text.split('e-')[1]);
  }
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** A picked item as it is written in the list, or, where allowed, a value typed in. */
function dropdownText(field: IParamField, input: string): string | null {
  const items = field.items ?? [];
  const item = items.find(candidate => candidate.value === input);
  if (item) {
    switch (field.itemStyle) {
      case 'quoted':
        return item.kind === 'string'
          ? item.text
          : quoteString(item.value, field.quote);
      case 'verbatim':
        return item.value;
      default:
        return item.text;
    }
  }
  if (!field.allowInput) {
    return null;
  }
  if (field.itemStyle === 'verbatim') {
    return input.trim() === '' ? null : input.trim();
  }
  const numbersOnly = items.every(candidate => candidate.kind === 'number');
  if (
    field.itemStyle === 'literal' &&
    numbersOnly &&
    isNumberText(input.trim())
  ) {
    return input.trim();
  }
  return quoteString(input, field.quote);
}
