/**
 * The GitHub record a notebook keeps in `metadata.colab_ext.github` (where it came from, where
 * it was last saved, its gist), and the defaults the dialogs derive from it. Pure functions.
 */

/** A file in a repository, as remembered in the notebook. */
export interface IFileRecord {
  owner: string;
  repo: string;
  branch: string;
  path: string;
  sha?: string;
  html_url?: string;
  base_branch?: string;
}

/** The notebook's gist. */
export interface IGistRecord {
  id: string;
  html_url: string;
  public: boolean;
  filename?: string;
  owner?: string | null;
}

export interface IGitHubRecord {
  file?: IFileRecord;
  gist?: IGistRecord;
}

/** What the Save-a-copy dialog starts with. */
export interface ISaveDefaults {
  repo: string;
  branch: string;
  targetPath: string;
  message: string;
}

export const METADATA_KEY = 'colab_ext';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The record inside a notebook's `colab_ext` metadata value (empty when absent or malformed). */
export function readRecord(colabExtMetadata: unknown): IGitHubRecord {
  if (!isObject(colabExtMetadata) || !isObject(colabExtMetadata.github)) {
    return {};
  }
  const github = colabExtMetadata.github;
  const record: IGitHubRecord = {};
  const file = github.file;
  if (
    isObject(file) &&
    typeof file.owner === 'string' &&
    typeof file.repo === 'string' &&
    typeof file.path === 'string'
  ) {
    record.file = file as unknown as IFileRecord;
  }
  const gist = github.gist;
  if (isObject(gist) && typeof gist.id === 'string') {
    record.gist = gist as unknown as IGistRecord;
  }
  return record;
}

/** The `colab_ext` metadata value with parts of its GitHub record replaced. */
export function mergeRecord(
  colabExtMetadata: unknown,
  parts: IGitHubRecord
): Record<string, unknown> {
  const base = isObject(colabExtMetadata) ? { ...colabExtMetadata } : {};
  const github = isObject(base.github) ? { ...base.github } : {};
  return { ...base, github: { ...github, ...parts } };
}

/** The name of a notebook without its folder. */
export function baseName(path: string): string {
  return path.split('/').pop() ?? path;
}

/** Where the user last saved any notebook (kept in the browser), for notebooks never saved. */
export interface ILastTarget {
  repo: string;
  branch: string;
}

/**
 * Defaults for saving: the last place the notebook was saved to or opened from; else the
 * notebook's own name in the repository and branch the user last saved to.
 */
export function saveDefaults(
  localPath: string,
  record: IGitHubRecord,
  last: ILastTarget
): ISaveDefaults {
  const name = baseName(localPath);
  const file = record.file;
  if (file) {
    return {
      repo: `${file.owner}/${file.repo}`,
      branch: file.base_branch || file.branch,
      targetPath: file.path,
      message: `Update ${baseName(file.path)}`
    };
  }
  return {
    repo: last.repo,
    branch: last.branch,
    targetPath: name,
    message: `Add ${name}`
  };
}

/** Repositories whose name contains every word of the query (case-insensitive). */
export function filterRepos<T extends { full_name: string }>(
  repos: T[],
  query: string
): T[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return repos.filter(repo =>
    words.every(word => repo.full_name.toLowerCase().includes(word))
  );
}

/** A path in a repository that is acceptable to save to, or why it is not. */
export function checkRepoPath(path: string): string | null {
  const clean = path.trim().replace(/^\/+/, '');
  if (!clean.endsWith('.ipynb')) {
    return 'The path must end in .ipynb.';
  }
  if (clean.split('/').some(part => part === '..' || part === '')) {
    return 'The path may not contain empty parts or "..".';
  }
  return null;
}

/** A sibling path for "save under another path": `a/b.ipynb` -> `a/b-copy.ipynb`. */
export function alternativePath(path: string): string {
  return path.replace(/(-copy(-\d+)?)?\.ipynb$/, match => {
    const number = /-copy-(\d+)\.ipynb$/.exec(match);
    if (number) {
      return `-copy-${Number(number[1]) + 1}.ipynb`;
    }
    return match.startsWith('-copy') ? '-copy-2.ipynb' : '-copy.ipynb';
  });
}
