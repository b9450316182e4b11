import {
  cleanName,
  describeProblem,
  MAX_NAME_BYTES,
  nameProblem,
  utf8Bytes
} from './names';

/** A translation bundle that fills in %1, %2 as JupyterLab's does. */
const trans = {
  __: (text: string, ...args: unknown[]): string =>
    args.reduce<string>(
      (out, arg, index) => out.replace(`%${index + 1}`, String(arg)),
      text
    )
};

describe('drive copy names', () => {
  it('takes an ordinary name, spaces and accents included', () => {
    expect(nameProblem('analysis (copy) é.ipynb')).toBeNull();
    expect(nameProblem('.hidden-is-fine.txt')).toBeNull();
  });

  it('trims surrounding spaces before checking', () => {
    expect(cleanName('  report.ipynb \n')).toBe('report.ipynb');
    expect(nameProblem(cleanName('   '))).toBe('empty');
  });

  it('refuses an empty name', () => {
    expect(nameProblem('')).toBe('empty');
    expect(describeProblem('empty', '', trans)).toBe(
      'Give the copy a file name.'
    );
  });

  it("refuses '/' and '\\', which would name a folder", () => {
    expect(nameProblem('reports/q3.ipynb')).toBe('slash');
    expect(nameProblem('reports\\q3.ipynb')).toBe('slash');
    expect(describeProblem('slash', 'a/b', trans)).toContain(
      "may not contain '/'"
    );
  });

  it("refuses '.' and '..'", () => {
    expect(nameProblem('.')).toBe('dots');
    expect(nameProblem('..')).toBe('dots');
    expect(nameProblem('...')).toBeNull();
  });

  it('refuses control characters, NUL and lone surrogates', () => {
    expect(nameProblem('tab\there')).toBe('control');
    expect(nameProblem('nul\u0000')).toBe('control');
    expect(nameProblem('line\u2028break')).toBe('control');
    expect(nameProblem('half\ud800')).toBe('control');
  });

  it('counts the length in UTF-8 bytes, as file systems do', () => {
    expect(utf8Bytes('abc')).toBe(3);
    expect(utf8Bytes('é')).toBe(2);
    expect(utf8Bytes('€')).toBe(3);
    expect(utf8Bytes('😀')).toBe(4);
    const longest = 'x'.repeat(MAX_NAME_BYTES - 4) + '.txt';
    expect(nameProblem(longest)).toBeNull();
    expect(nameProblem('x' + longest)).toBe('long');
    const accents = 'é'.repeat(121) + '.txt'; // 121 characters, 246 bytes
    expect(nameProblem(accents)).toBe('long');
    expect(describeProblem('long', accents, trans)).toBe(
      'The name is 246 bytes long, longer than 244 bytes (a letter outside ASCII takes 2 to 4). Use a shorter name.'
    );
  });
});
