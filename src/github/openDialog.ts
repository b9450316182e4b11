/**
 * The Open-from-GitHub dialog: paste a URL (blob, raw, Colab, nbviewer, gist) or browse
 * owner > repository > branch > folder > notebook; and choose the local folder.
 */
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { GitHubApi, IBrowseEntry, IOpenRequest } from './api';
import {
  field,
  paragraph,
  problemArea,
  select,
  setOptions,
  textInput
} from './form';

export class OpenBody extends Widget {
  readonly url = textInput(
    '',
    'https://github.com/owner/repo/blob/main/notebook.ipynb'
  );
  readonly owner: HTMLInputElement;
  readonly repo = select([]);
  readonly branch = select([]);
  readonly folder: HTMLInputElement;
  private readonly listing = document.createElement('ul');
  private readonly where = paragraph('', 'jp-colab-GitHub-where');
  private readonly problem = problemArea();
  private chosen: string | null = null;

  constructor(
    private readonly api: GitHubApi,
    login: string,
    localFolder: string,
    private trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-colab-GitHub');
    this.addClass('jp-colab-GitHubOpen');
    this.owner = textInput(login, trans.__('user or organisation'));
    this.folder = textInput(localFolder, trans.__('(the root folder)'));
    this.listing.className = 'jp-colab-GitHub-listing';
    const list = document.createElement('button');
    list.className = 'jp-mod-styled jp-mod-reject';
    list.textContent = trans.__('List repositories');
    list.onclick = () => void this.loadRepos();
    const ownerRow = document.createElement('div');
    ownerRow.className = 'jp-colab-GitHub-inline';
    ownerRow.append(this.owner, list);
    this.node.append(
      field(
        trans.__('GitHub URL'),
        this.url,
        trans.__(
          'A github.com or raw link, a Colab /github/ link, an nbviewer link or a gist.'
        )
      ),
      paragraph(trans.__('Or browse:'), 'jp-colab-GitHub-or'),
      field(trans.__('Owner'), ownerRow),
      field(trans.__('Repository'), this.repo),
      field(trans.__('Branch'), this.branch),
      this.where,
      this.listing,
      field(trans.__('Save into local folder'), this.folder),
      this.problem
    );
    this.repo.addEventListener('change', () => void this.loadBranches());
    this.branch.addEventListener('change', () => void this.loadFolder(''));
    this.owner.addEventListener('keydown', event => {
      if (event.key === 'Enter') {
        event.preventDefault();
        event.stopPropagation();
        void this.loadRepos();
      }
    });
  }

  getValue(): IOpenRequest {
    const folder = this.folder.value.trim();
    if (this.url.value.trim() || !this.chosen) {
      return { url: this.url.value.trim(), folder };
    }
    return {
      owner: this.owner.value.trim(),
      repo: this.repo.value,
      ref: this.branch.value,
      path: this.chosen,
      folder
    };
  }

  private async call<T>(work: () => Promise<T>): Promise<T | null> {
    this.problem.textContent = '';
    try {
      return await work();
    } catch (error) {
      this.problem.textContent = (error as Error).message;
      return null;
    }
  }

  private async loadRepos(): Promise<void> {
    const owner = this.owner.value.trim();
    const answer = await this.call(() => this.api.browse({ owner }));
    setOptions(
      this.repo,
      (answer?.repos ?? []).map(repo => repo.name)
    );
    await this.loadBranches();
  }

  private async loadBranches(): Promise<void> {
    const owner = this.owner.value.trim();
    const repo = this.repo.value;
    setOptions(this.branch, []);
    if (repo) {
      const answer = await this.call(() => this.api.browse({ owner, repo }));
      setOptions(this.branch, answer?.branches ?? [], answer?.default_branch);
    }
    await this.loadFolder('');
  }

  private async loadFolder(path: string): Promise<void> {
    this.chosen = null;
    this.listing.replaceChildren();
    const [owner, repo, ref] = [
      this.owner.value.trim(),
      this.repo.value,
      this.branch.value
    ];
    this.where.textContent = ref ? `${owner}/${repo} @ ${ref}: /${path}` : '';
    if (!ref) {
      return;
    }
    const answer = await this.call(() =>
      this.api.browse({ owner, repo, ref, path })
    );
    const entries: IBrowseEntry[] = answer?.entries ?? [];
    if (path) {
      const parent = path.split('/').slice(0, -1).join('/');
      entries.unshift({ name: '..', path: parent, type: 'dir' });
    }
    for (const entry of entries) {
      const item = document.createElement('li');
      item.textContent = entry.type === 'dir' ? `${entry.name}/` : entry.name;
      item.className = `jp-colab-GitHub-entry jp-mod-${entry.type}`;
      item.onclick = () => {
        if (entry.type === 'dir') {
          void this.loadFolder(entry.path);
          return;
        }
        this.chosen = entry.path;
        this.url.value = '';
        for (const other of this.listing.children) {
          other.classList.toggle('jp-mod-selected', other === item);
        }
      };
      this.listing.append(item);
    }
    if (!entries.length) {
      this.listing.append(paragraph(this.trans.__('No notebooks here.')));
    }
  }
}
