/**
 * The Save-a-copy-in-GitHub dialog: repository (the ones the user can push to, searchable),
 * branch (existing or new), path, commit message and options.
 */
import { DOMUtils } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { GitHubApi, IRepoEntry, ISaveRequest } from './api';
import {
  checkbox,
  field,
  problemArea,
  select,
  setOptions,
  textInput
} from './form';
import { checkRepoPath, filterRepos, ISaveDefaults } from './record';

/** What the dialog yields; the command adds the local path. */
export type SaveChoice = Omit<ISaveRequest, 'path' | 'write_metadata'>;

const NEW_BRANCH = '\u2795 New branch…';

export class SaveBody extends Widget {
  readonly repo = textInput('', 'owner/repository');
  readonly branch = select([]);
  readonly newBranch = textInput('', 'my-branch');
  readonly targetPath = textInput();
  readonly message = document.createElement('textarea');
  readonly clearOutputs: HTMLInputElement;
  readonly badge: HTMLInputElement;
  readonly pullRequest: HTMLInputElement;
  readonly prTitle = textInput();
  private readonly problem = problemArea();
  private readonly newBranchRow: HTMLElement;
  private readonly prRow: HTMLElement;
  private defaultBranch = '';

  constructor(
    private readonly api: GitHubApi,
    private repos: IRepoEntry[],
    defaults: ISaveDefaults,
    private trans: TranslationBundle,
    previous?: SaveChoice
  ) {
    super();
    this.addClass('jp-colab-GitHub');
    this.addClass('jp-colab-GitHubSave');
    const list = document.createElement('datalist');
    list.id = DOMUtils.createDomID();
    list.append(
      ...repos.map(repo => {
        const option = document.createElement('option');
        option.value = repo.full_name;
        return option;
      })
    );
    this.repo.setAttribute('list', list.id);
    this.repo.value = defaults.repo;
    this.targetPath.value = defaults.targetPath;
    this.message.className = 'jp-mod-styled jp-colab-GitHub-input';
    this.message.rows = 2;
    this.message.value = defaults.message;
    let clearRow: HTMLElement, badgeRow: HTMLElement, prCheckRow: HTMLElement;
    [clearRow, this.clearOutputs] = checkbox(trans.__('Clear outputs'));
    [badgeRow, this.badge] = checkbox(trans.__('Add an "Open in Colab" badge'));
    [prCheckRow, this.pullRequest] = checkbox(
      trans.__('Open a pull request instead of committing to the branch')
    );
    if (previous) {
      this.clearOutputs.checked = previous.clear_outputs;
      this.badge.checked = previous.badge;
      this.pullRequest.checked = previous.pull_request;
      this.prTitle.value = previous.pr_title ?? '';
    }
    this.newBranchRow = field(trans.__('New branch name'), this.newBranch);
    this.prRow = field(trans.__('Pull request title'), this.prTitle);
    this.node.append(
      list,
      field(
        trans.__('Repository'),
        this.repo,
        trans.__('Type to search the repositories you can push to.')
      ),
      field(trans.__('Branch'), this.branch),
      this.newBranchRow,
      field(trans.__('Path in the repository'), this.targetPath),
      field(trans.__('Commit message'), this.message),
      clearRow,
      badgeRow,
      prCheckRow,
      this.prRow,
      this.problem
    );
    this.repo.addEventListener('change', () => void this.loadBranches(''));
    this.branch.addEventListener('change', () => this.refresh());
    this.pullRequest.addEventListener('change', () => this.refresh());
    void this.loadBranches(defaults.branch);
  }

  /** The choices, or an error message for the first thing that is wrong. */
  getValue(): SaveChoice {
    const creating = this.branch.value === NEW_BRANCH;
    return {
      repo: this.repo.value.trim(),
      branch: creating ? this.newBranch.value.trim() : this.branch.value,
      new_branch: creating,
      base_branch: creating ? this.defaultBranch : this.branch.value,
      target_path: this.targetPath.value.trim().replace(/^\/+/, ''),
      message: this.message.value.trim(),
      clear_outputs: this.clearOutputs.checked,
      badge: this.badge.checked,
      pull_request: this.pullRequest.checked,
      pr_title: this.prTitle.value.trim()
    };
  }

  /** Why the choices cannot be saved yet, or null. */
  validate(): string | null {
    const value = this.getValue();
    const trans = this.trans;
    if (!/^[^/\s]+\/[^/\s]+$/.test(value.repo)) {
      return trans.__('Choose a repository as owner/name.');
    }
    if (!value.branch && !value.pull_request) {
      return trans.__('Choose a branch, or name the new one.');
    }
    return (
      checkRepoPath(value.target_path) ??
      (value.message ? null : trans.__('Write a commit message.'))
    );
  }

  private refresh(): void {
    this.newBranchRow.hidden = this.branch.value !== NEW_BRANCH;
    this.prRow.hidden = !this.pullRequest.checked;
    const known = filterRepos(this.repos, this.repo.value).some(
      repo => repo.full_name === this.repo.value.trim()
    );
    this.problem.textContent =
      this.repo.value && !known
        ? this.trans.__('You may not be able to push to %1.', this.repo.value)
        : '';
  }

  private async loadBranches(preferred: string): Promise<void> {
    const [owner, repo] = this.repo.value.trim().split('/');
    setOptions(this.branch, [NEW_BRANCH]);
    if (owner && repo) {
      try {
        const answer = await this.api.browse({ owner, repo });
        this.defaultBranch = answer.default_branch ?? '';
        setOptions(
          this.branch,
          [...(answer.branches ?? []), NEW_BRANCH],
          preferred || this.defaultBranch
        );
      } catch (error) {
        this.problem.textContent = (error as Error).message;
      }
    }
    this.refresh();
  }
}
