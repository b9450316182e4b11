import { HIDDEN_VALUE, secretNameProblem } from './names';

describe('secretNameProblem', () => {
  it('accepts the names Colab accepts', () => {
    for (const name of [
      'HF_TOKEN',
      'openai_api_key',
      '_x',
      'A1',
      'x'.repeat(128)
    ]) {
      expect(secretNameProblem(name)).toBeNull();
    }
  });

  it('asks for a name when there is none', () => {
    expect(secretNameProblem('')).toBe('Give the secret a name.');
  });

  it('refuses a leading digit', () => {
    expect(secretNameProblem('1TOKEN')).toBe(
      'A name must not start with a digit.'
    );
  });

  it('names the character that is not allowed', () => {
    expect(secretNameProblem('MY-KEY')).toContain('not "-"');
    expect(secretNameProblem('my key')).toContain('not spaces');
    expect(secretNameProblem('clé')).toContain('not "é"');
    expect(secretNameProblem('a.b')).toContain('not "."');
  });

  it('refuses names that are too long', () => {
    expect(secretNameProblem('x'.repeat(129))).toContain('at most 128');
  });

  it('refuses a name that is taken', () => {
    expect(secretNameProblem('HF_TOKEN', ['HF_TOKEN'])).toBe(
      'There is already a secret named HF_TOKEN.'
    );
    expect(secretNameProblem('HF_TOKEN', ['hf_token'])).toBeNull();
  });

  it('hides values behind dots', () => {
    expect(HIDDEN_VALUE).toMatch(/^\u2022+$/);
  });
});
