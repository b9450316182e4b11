import {
  FRONTEND_VERSION,
  serverPartExplanation,
  serverPartProblem,
  serverPartShortMessage
} from './state';

describe('serverPartProblem', () => {
  it('reports a missing server part when the page config has no version', () => {
    expect(serverPartProblem('', '1.2.0')).toEqual({ kind: 'missing' });
  });

  it('reports a version mismatch, naming both versions', () => {
    const problem = serverPartProblem('1.1.0', '1.2.0');
    expect(problem).toEqual({
      kind: 'version',
      server: '1.1.0',
      frontend: '1.2.0'
    });
    expect(serverPartShortMessage(problem!)).toContain('1.1.0');
    expect(serverPartShortMessage(problem!)).toContain('restart JupyterLab');
  });

  it('is null when both halves have the same version', () => {
    expect(serverPartProblem('1.2.0', '1.2.0')).toBeNull();
  });

  it('reads the frontend version from package.json', () => {
    expect(FRONTEND_VERSION).toMatch(/^\d+\.\d+\.\d+/);
  });

  it('explains the likely causes of a missing part, each with what to do', () => {
    const text = serverPartExplanation({ kind: 'missing' }).join('\n');
    expect(text).toContain('not restarted');
    expect(text).toContain('different Python environment');
    expect(text).toContain('jupyter server extension list');
  });
});
