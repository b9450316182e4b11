import { IMarkdownBlock, IParamField, parseForm } from './parser';

/** The one field of a one-line cell, or null. */
function field(line: string): IParamField | null {
  const spec = parseForm(line);
  const item = spec?.items[0];
  return item?.type === 'param' ? item : null;
}

describe('parseForm: params', () => {
  it.each([
    ['name = "Ada" #@param {type:"string"}', 'string', 'Ada'],
    ["name = 'Ada' #@param {type:'string'}", 'string', 'Ada'],
    ['lr = 0.001 #@param {type:"number"}', 'number', '0.001'],
    ['lr = -1e-3 #@param {type:"number"}', 'number', '-1e-3'],
    ['steps = 100 #@param {type:"integer"}', 'integer', '100'],
    ['ok = True #@param {type:"boolean"}', 'boolean', 'True'],
    ['day = "2024-05-01" #@param {type:"date"}', 'date', '2024-05-01'],
    ['fn = np.float32 #@param {type:"raw"}', 'raw', 'np.float32'],
    ['d = dict(a=1) #@param {type:"raw"}', 'raw', 'dict(a=1)'],
    ['n = 3 #@param {type:"slider", min:0, max:10, step:1}', 'slider', '3'],
    ['m = "base" #@param ["base", "large"]', 'dropdown', 'base']
  ])('%s', (line, kind, value) => {
    const result = field(line);
    expect(result?.kind).toBe(kind);
    expect(result?.value).toBe(value);
  });

  it('finds the value range, name and quote', () => {
    const source = 'import os\n  model = \'base\'   #@param ["base", "large"]';
    const result = parseForm(source)!.items[0] as IParamField;
    expect(result.name).toBe('model');
    expect(result.line).toBe(1);
    expect(source.slice(result.from, result.to)).toBe("'base'");
    expect(result.quote).toBe("'");
    expect(result.items!.map(item => item.value)).toEqual(['base', 'large']);
    expect(result.allowInput).toBe(false);
  });

  it('accepts `# @param`, as Colab writes it', () => {
    expect(field('x = 5 # @param {type:"integer"}')?.kind).toBe('integer');
    expect(field('x = 5  #   @param {type:"integer"}')?.kind).toBe('integer');
  });

  it('reads dropdowns with allow-input and typed items', () => {
    const combo = field(
      'm = "xl" #@param ["base", "large"] {allow-input: true}'
    );
    expect(combo).toMatchObject({
      kind: 'dropdown',
      allowInput: true,
      value: 'xl'
    });
    const numbers = field('bs = 32 #@param [16, 32, 64]');
    expect(numbers).toMatchObject({ kind: 'dropdown', value: '32' });
    const raw = field(
      'dt = np.float16 #@param ["np.float32", "np.float16"] {type:"raw"}'
    );
    expect(raw).toMatchObject({ itemStyle: 'verbatim', value: 'np.float16' });
    const quoted = field('s = "1" #@param [1, 2] {type:"string"}');
    expect(quoted).toMatchObject({ itemStyle: 'quoted', value: '1' });
  });

  it('reads slider bounds, with step 1 by default', () => {
    expect(
      field('a = 0.5 #@param {type:"slider", min:0, max:1, step:0.1}')
    ).toMatchObject({
      min: 0,
      max: 1,
      step: 0.1
    });
    expect(field('a = 5 #@param {type:"slider", min:-10, max:10}')?.step).toBe(
      1
    );
  });

  it('guesses the kind from the value without a type', () => {
    expect(field('a = "x" #@param')?.kind).toBe('string');
    expect(field('a = 3 #@param')?.kind).toBe('integer');
    expect(field('a = 3.5 #@param')?.kind).toBe('number');
    expect(field('a = False #@param')?.kind).toBe('boolean');
    expect(field('a = foo() #@param')?.kind).toBe('raw');
  });

  it('reads other assignment forms and other languages', () => {
    expect(field('args.lr = 0.1 #@param {type:"number"}')?.name).toBe(
      'args.lr'
    );
    expect(field('n: int = 4 #@param {type:"integer"}')?.name).toBe('n');
    expect(field('n <- 4 #@param {type:"integer"}')?.name).toBe('n');
    expect(field('flag = TRUE #@param {type:"boolean"}')?.value).toBe('TRUE');
  });

  it('keeps a `#` inside the string value', () => {
    expect(field('s = "a # b" #@param {type:"string"}')?.value).toBe('a # b');
  });

  it('reads escapes in string values', () => {
    expect(field('s = "say \\"hi\\"\\n" #@param {type:"string"}')?.value).toBe(
      'say "hi"\n'
    );
  });

  it.each([
    ['unbalanced braces', 'x = 5 #@param {type:"integer"'],
    ['unbalanced list', 'x = "a" #@param ["a", "b"'],
    ['an extra closing brace', 'x = 5 #@param {type:"integer"}}'],
    ['an unknown type', 'x = 5 #@param {type:"color"}'],
    ['a type that is no string', 'x = 5 #@param {type:5}'],
    ['a slider without min', 'x = 5 #@param {type:"slider", max:10}'],
    [
      'a slider with min above max',
      'x = 5 #@param {type:"slider", min:10, max:1}'
    ],
    [
      'a slider with a zero step',
      'x = 5 #@param {type:"slider", min:0, max:1, step:0}'
    ],
    [
      'a slider with a text value',
      'x = "5" #@param {type:"slider", min:0, max:10}'
    ],
    ['a string that is no literal', 'x = name #@param {type:"string"}'],
    ['an f-string', 'x = f"{a}" #@param {type:"string"}'],
    ['a concatenation', 'x = "a" + "b" #@param {type:"string"}'],
    ['a number that is no literal', 'x = 2 * 3 #@param {type:"number"}'],
    ['a float for an integer', 'x = 2.5 #@param {type:"integer"}'],
    ['a boolean that is no literal', 'x = yes #@param {type:"boolean"}'],
    ['a dropdown value that is no literal', 'x = y #@param ["a", "b"]'],
    ['an empty dropdown', 'x = "a" #@param []'],
    ['a list of non-literals', 'x = "a" #@param [a, b]'],
    ['an empty list item', 'x = 1 #@param [1,,2]'],
    ['a dropdown of an unknown type', 'x = 1 #@param [1, 2] {type:"slider"}'],
    ['garbage after the annotation', 'x = 5 #@param integer'],
    ['a bad options value', 'x = 5 #@param {type: integer}'],
    ['a missing value', 'x = #@param {type:"raw"}'],
    ['a comparison, not an assignment', 'x == 5 #@param {type:"integer"}'],
    ['no assignment', 'print(5) #@param {type:"integer"}'],
    ['a longer annotation name', 'x = 5 #@parameter {type:"integer"}'],
    ['an annotation inside a string', 's = "x = 5 #@param {type:\'integer\'}"'],
    [
      'an annotation after another comment',
      'x = 5 # note #@param {type:"integer"}'
    ],
    ['an unterminated string value', 'x = "abc #@param {type:"string"}']
  ])('leaves %s as code', (_why, line) => {
    expect(parseForm(line)).toBeNull();
  });

  it('leaves a commented-out param line as a comment', () => {
    expect(parseForm('# x = "a" # @param ["a", "b"]')).toBeNull();
  });

  it('ignores annotations inside triple-quoted strings', () => {
    const source =
      'doc = """\nx = 5 #@param {type:"integer"}\n"""\ny = 1 #@param {type:"integer"}';
    const spec = parseForm(source)!;
    expect(spec.items).toHaveLength(1);
    expect((spec.items[0] as IParamField).name).toBe('y');
  });

  it('keeps the good lines of a cell with a bad one', () => {
    const spec = parseForm(
      'a = 1 #@param {type:"integer"\nb = 2 #@param {type:"integer"}'
    )!;
    expect(spec.items.map(item => (item as IParamField).name)).toEqual(['b']);
  });

  it('returns null for a cell without annotations', () => {
    expect(parseForm('')).toBeNull();
    expect(parseForm('x = 5  # a plain comment\nprint(x)')).toBeNull();
  });
});

describe('parseForm: title and markdown', () => {
  it('reads the title and its options', () => {
    const spec = parseForm(
      '#@title Settings { display-mode: "form", run: "auto" }\nx = 1'
    );
    expect(spec).toMatchObject({
      title: 'Settings',
      displayMode: 'form',
      runAuto: true
    });
  });

  it('reads a title without options, and options without a title', () => {
    expect(parseForm('# @title Load the data')).toMatchObject({
      title: 'Load the data',
      displayMode: 'both',
      runAuto: false
    });
    expect(parseForm('#@title {display-mode:"code"}')).toMatchObject({
      title: '',
      displayMode: 'code'
    });
  });

  it('ignores an unknown display mode, and a malformed title', () => {
    expect(parseForm('#@title T {display-mode: "wide"}')?.displayMode).toBe(
      'both'
    );
    expect(parseForm('#@title T {display-mode: "form"')).toBeNull();
    expect(parseForm('x = 1 #@title T')).toBeNull();
  });

  it('takes the first title only', () => {
    expect(parseForm('#@title One\n#@title Two')?.title).toBe('One');
  });

  it('joins consecutive markdown lines into one block, in order with the fields', () => {
    const source = [
      '#@markdown ## Model',
      '#@markdown Pick **one**.',
      'm = "a" #@param ["a", "b"]',
      '#@markdown Then the rate:',
      'lr = 0.1 #@param {type:"number"}'
    ].join('\n');
    const items = parseForm(source)!.items;
    expect(items.map(item => item.type)).toEqual([
      'markdown',
      'param',
      'markdown',
      'param'
    ]);
    expect((items[0] as IMarkdownBlock).text).toBe('## Model\nPick **one**.');
    expect((items[2] as IMarkdownBlock).text).toBe('Then the rate:');
  });
});
