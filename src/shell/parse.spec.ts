import { formatSize, planCell, shortCommand } from './parse';

describe('planCell', () => {
  it('leaves cells without shell lines to the kernel', () => {
    expect(planCell('x <- 1\nprint(x)', { bangLines: true })).toBeNull();
  });

  it('splits a mixed cell in order: each command, then the code between', () => {
    const source = '!echo one\n!echo two\nx <- 1\nprint(x)\n!read name\ny <- 2';
    expect(planCell(source, { bangLines: true })).toEqual([
      { kind: 'shell', command: 'echo one', strict: false },
      { kind: 'shell', command: 'echo two', strict: false },
      { kind: 'code', code: 'x <- 1\nprint(x)' },
      { kind: 'shell', command: 'read name', strict: false },
      { kind: 'code', code: 'y <- 2' }
    ]);
  });

  it('keeps indented ! lines and blank runs out of the shell', () => {
    expect(
      planCell('if (TRUE) {\n  !x\n}\n\n!ls', { bangLines: true })
    ).toEqual([
      { kind: 'code', code: 'if (TRUE) {\n  !x\n}\n' },
      { kind: 'shell', command: 'ls', strict: false }
    ]);
  });

  it('ignores ! lines when the kernel has its own (IPython)', () => {
    expect(planCell('!ls\nx = 1', { bangLines: false })).toBeNull();
  });

  it('runs a %%shell cell as one strict script, in every kernel', () => {
    const cell = '%%shell\nset -e\nfor i in 1 2; do echo $i; done';
    expect(planCell(cell, { bangLines: false })).toEqual([
      {
        kind: 'shell',
        command: 'set -e\nfor i in 1 2; do echo $i; done',
        strict: true
      }
    ]);
    expect(planCell('%%shell', { bangLines: false })).toEqual([
      { kind: 'shell', command: '', strict: true }
    ]);
  });

  it('does not mistake other magics or text mentioning %%shell', () => {
    expect(planCell('%%shellfish\nx', { bangLines: true })).toBeNull();
    expect(planCell('x\n%%shell', { bangLines: false })).toBeNull();
  });
});

describe('shortCommand and formatSize', () => {
  it('shortens long and multi-line commands', () => {
    expect(shortCommand('make test')).toBe('make test');
    expect(shortCommand('a'.repeat(80), 10)).toBe('aaaaaaaaaa…');
    expect(shortCommand('set -e\necho hi')).toBe('set -e…');
  });

  it.each([
    [512, '512 B'],
    [1536, '1.5 KiB'],
    [4 * 1024 * 1024, '4.0 MiB']
  ])('%d bytes read as %s', (bytes, text) => {
    expect(formatSize(bytes)).toBe(text);
  });
});
