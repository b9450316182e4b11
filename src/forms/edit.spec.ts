import { editFor, formatValue } from './edit';
import { readList, readLiteral, quoteString, readString } from './literals';
import { readOptions } from './options';
import { IParamField, parseForm } from './parser';

function field(line: string): IParamField {
  return parseForm(line)!.items[0] as IParamField;
}

/** The line after writing `input` into its field. */
function rewrite(line: string, input: string | boolean): string {
  const edit = editFor(field(line), input);
  return edit
    ? line.slice(0, edit.from) + edit.text + line.slice(edit.to)
    : line;
}

describe('editFor', () => {
  it('rewrites only the value', () => {
    expect(rewrite('x = 5 #@param {type:"integer"}', '7')).toBe(
      'x = 7 #@param {type:"integer"}'
    );
    expect(rewrite('  x   =   5   #@param {type:"integer"}', '-12')).toBe(
      '  x   =   -12   #@param {type:"integer"}'
    );
  });

  it("quotes strings in the user's quote, escaped for Python", () => {
    expect(rewrite("s = 'a' #@param {type:'string'}", "it's")).toBe(
      "s = 'it\\'s' #@param {type:'string'}"
    );
    expect(rewrite('s = "a" #@param {type:"string"}', 'say "hi"\\')).toBe(
      's = "say \\"hi\\"\\\\" #@param {type:"string"}'
    );
    expect(
      rewrite('d = "2024-01-01" #@param {type:"date"}', '2025-02-03')
    ).toBe('d = "2025-02-03" #@param {type:"date"}');
  });

  it('writes booleans in the spelling of the value', () => {
    expect(rewrite('b = True #@param {type:"boolean"}', false)).toBe(
      'b = False #@param {type:"boolean"}'
    );
    expect(rewrite('b = FALSE #@param {type:"boolean"}', true)).toBe(
      'b = TRUE #@param {type:"boolean"}'
    );
    expect(formatValue(field('b = true #@param {type:"boolean"}'), false)).toBe(
      'false'
    );
  });

  it('refuses values that do not fit the kind', () => {
    expect(editFor(field('x = 5 #@param {type:"integer"}'), '5.5')).toBeNull();
    expect(editFor(field('x = 5.0 #@param {type:"number"}'), 'abc')).toBeNull();
    expect(editFor(field('x = a #@param {type:"raw"}'), '  ')).toBeNull();
    expect(editFor(field('x = "a" #@param {type:"string"}'), true)).toBeNull();
    expect(editFor(field('m = "a" #@param ["a", "b"]'), 'c')).toBeNull();
  });

  it('returns null when nothing changes', () => {
    expect(editFor(field('x = 5 #@param {type:"integer"}'), '5')).toBeNull();
  });

  it('writes numbers and raw code as typed', () => {
    expect(rewrite('x = 1.0 #@param {type:"number"}', '1e-4')).toBe(
      'x = 1e-4 #@param {type:"number"}'
    );
    expect(rewrite('x = a #@param {type:"raw"}', 'np.arange(3)')).toBe(
      'x = np.arange(3) #@param {type:"raw"}'
    );
  });

  it('rounds slider values to the step', () => {
    const line = 'a = 0.5 #@param {type:"slider", min:0, max:1, step:0.1}';
    expect(rewrite(line, String(0.1 + 0.2))).toContain('a = 0.3 #');
    expect(
      rewrite('n = 3 #@param {type:"slider", min:0, max:10}', '12')
    ).toContain('n = 10 #');
  });

  it('writes sliders with negative bounds and a fractional step', () => {
    const line =
      'mean = -5  # @param {type:"slider", min:-10, max:10, step:0.5}';
    expect(rewrite(line, '-4.5')).toBe(
      'mean = -4.5  # @param {type:"slider", min:-10, max:10, step:0.5}'
    );
    expect(
      rewrite(
        's = .01  # @param {type:"slider", min:0.01, max:1.0, step:0.01}',
        '0.2'
      )
    ).toBe('s = 0.2  # @param {type:"slider", min:0.01, max:1.0, step:0.01}');
  });

  it('writes dropdown items as they are written in the list', () => {
    expect(rewrite('m = "base" #@param ["base", \'large\']', 'large')).toBe(
      "m = 'large' #@param [\"base\", 'large']"
    );
    expect(rewrite('n = 16 #@param [16, 32]', '32')).toBe(
      'n = 32 #@param [16, 32]'
    );
    expect(
      rewrite('t = np.a #@param ["np.a", "np.b"] {type:"raw"}', 'np.b')
    ).toBe('t = np.b #@param ["np.a", "np.b"] {type:"raw"}');
    expect(rewrite("s = '1' #@param [1, 2] {type:'string'}", '2')).toBe(
      "s = '2' #@param [1, 2] {type:'string'}"
    );
  });

  it('quotes values typed into an editable dropdown, numbers stay numbers', () => {
    expect(
      rewrite('m = "a" #@param ["a"] {allow-input: true}', 'my model')
    ).toBe('m = "my model" #@param ["a"] {allow-input: true}');
    expect(rewrite('n = 1 #@param [1, 2] {allow-input: true}', '7')).toBe(
      'n = 7 #@param [1, 2] {allow-input: true}'
    );
  });
});

describe('literals and options', () => {
  it('round-trips strings through quoteString and readString', () => {
    for (const value of [
      '',
      'plain',
      "it's",
      'a "b"',
      'back\\slash',
      'tab\tnew\nline',
      '\x01'
    ]) {
      for (const quote of ['"', "'"] as const) {
        expect(readString(quoteString(value, quote), 0)?.value).toBe(value);
      }
    }
  });

  it('reads hex and unicode escapes, and keeps unknown ones', () => {
    expect(readLiteral('"\\x41\\u00e9\\q"')?.value).toBe('Aé\\q');
    expect(readLiteral('"\\x4"')).toBeNull();
    expect(readLiteral('"""doc"""')).toBeNull();
  });

  it('reads list literals', () => {
    expect(readList('["a", 1, None, True,]')?.map(item => item.kind)).toEqual([
      'string',
      'number',
      'none',
      'boolean'
    ]);
    expect(readList('["a, b", "c]"]')?.map(item => item.value)).toEqual([
      'a, b',
      'c]'
    ]);
    expect(readList('["a" "b"]')).toBeNull();
  });

  it('reads loose option objects', () => {
    expect(
      readOptions(
        '{ "type": "slider", min: -1.5, max: 1e3, allow-input: true }'
      )
    ).toEqual({
      type: 'slider',
      min: -1.5,
      max: 1000,
      'allow-input': true
    });
    expect(readOptions('{}')).toEqual({});
    expect(readOptions('{a: 1,}')).toEqual({ a: 1 });
    expect(readOptions('{a 1}')).toBeNull();
    expect(readOptions('{a: 1} x')).toBeNull();
    expect(readOptions('{a: "b}')).toBeNull();
    expect(readOptions('{: 1}')).toBeNull();
  });
});
