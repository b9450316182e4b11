import {
  alternativePath,
  checkRepoPath,
  filterRepos,
  mergeRecord,
  readRecord,
  saveDefaults
} from './record';

describe('readRecord', () => {
  it('reads the file and gist of a notebook', () => {
    const record = readRecord({
      github: {
        file: { owner: 'o', repo: 'r', branch: 'main', path: 'a.ipynb' },
        gist: { id: 'abc', html_url: 'u', public: false }
      }
    });
    expect(record.file?.repo).toBe('r');
    expect(record.gist?.id).toBe('abc');
  });

  it('ignores what is missing or malformed', () => {
    expect(readRecord(undefined)).toEqual({});
    expect(readRecord({ github: { file: { owner: 1 } } })).toEqual({});
    expect(readRecord('x')).toEqual({});
  });
});

describe('mergeRecord', () => {
  it('replaces one part and keeps the rest', () => {
    const before = { other: 1, github: { gist: { id: 'g' } } };
    const after = mergeRecord(before, {
      file: { owner: 'o', repo: 'r', branch: 'b', path: 'p.ipynb' }
    });
    expect(after).toEqual({
      other: 1,
      github: {
        gist: { id: 'g' },
        file: { owner: 'o', repo: 'r', branch: 'b', path: 'p.ipynb' }
      }
    });
    expect(before.github).toEqual({ gist: { id: 'g' } });
  });
});

describe('saveDefaults', () => {
  it('starts where the notebook was last saved', () => {
    const defaults = saveDefaults(
      'x/local.ipynb',
      {
        file: {
          owner: 'o',
          repo: 'r',
          branch: 'colab-ext/pr',
          base_branch: 'main',
          path: 'nb/a.ipynb'
        }
      },
      { repo: 'me/first', branch: '' }
    );
    expect(defaults).toEqual({
      repo: 'o/r',
      branch: 'main',
      targetPath: 'nb/a.ipynb',
      message: 'Update a.ipynb'
    });
  });

  it('uses the notebook name for a first save', () => {
    expect(
      saveDefaults('x/local.ipynb', {}, { repo: 'me/first', branch: 'dev' })
    ).toEqual({
      repo: 'me/first',
      branch: 'dev',
      targetPath: 'local.ipynb',
      message: 'Add local.ipynb'
    });
  });
});

describe('filterRepos', () => {
  const repos = [{ full_name: 'me/notebooks' }, { full_name: 'org/Data-Lab' }];
  it('matches every word, ignoring case', () => {
    expect(filterRepos(repos, 'data')).toEqual([repos[1]]);
    expect(filterRepos(repos, 'ORG lab')).toEqual([repos[1]]);
    expect(filterRepos(repos, '')).toEqual(repos);
    expect(filterRepos(repos, 'nothing')).toEqual([]);
  });
});

describe('checkRepoPath', () => {
  it('accepts notebook paths and refuses others', () => {
    expect(checkRepoPath('a/b.ipynb')).toBeNull();
    expect(checkRepoPath('/a.ipynb')).toBeNull();
    expect(checkRepoPath('a.py')).toMatch('.ipynb');
    expect(checkRepoPath('a/../b.ipynb')).toMatch('..');
  });
});

describe('alternativePath', () => {
  it('counts up copies', () => {
    expect(alternativePath('a/b.ipynb')).toBe('a/b-copy.ipynb');
    expect(alternativePath('a/b-copy.ipynb')).toBe('a/b-copy-2.ipynb');
    expect(alternativePath('a/b-copy-2.ipynb')).toBe('a/b-copy-3.ipynb');
  });
});
