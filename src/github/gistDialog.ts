/**
 * The Save-as-Gist dialog: secret or public, description; says which gist a second save updates.
 */
import { DOMUtils } from '@jupyterlab/apputils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { IGistRequest } from './api';
import { checkbox, field, link, paragraph, textInput } from './form';
import { IGistRecord } from './record';

export type GistChoice = Omit<IGistRequest, 'path' | 'write_metadata'>;

export class GistBody extends Widget {
  readonly description: HTMLInputElement;
  readonly secret: HTMLInputElement;
  readonly public: HTMLInputElement;
  readonly clearOutputs: HTMLInputElement;
  readonly newGist: HTMLInputElement | null = null;

  constructor(
    name: string,
    gist: IGistRecord | undefined,
    trans: TranslationBundle
  ) {
    super();
    this.addClass('jp-colab-GitHub');
    this.addClass('jp-colab-GitHubGist');
    this.description = textInput(name);
    const visibility = document.createElement('fieldset');
    visibility.className = 'jp-colab-GitHub-radios';
    const legend = document.createElement('legend');
    legend.className = 'jp-colab-GitHub-label';
    legend.textContent = trans.__('Visibility');
    visibility.append(legend);
    const group = DOMUtils.createDomID();
    const radio = (label: string, checked: boolean): HTMLInputElement => {
      const row = document.createElement('label');
      const input = document.createElement('input');
      input.type = 'radio';
      input.name = group;
      input.checked = checked;
      row.append(input, document.createTextNode(' ' + label));
      visibility.append(row);
      return input;
    };
    this.secret = radio(
      trans.__('Secret (only people with the link)'),
      !gist?.public
    );
    this.public = radio(
      trans.__('Public (listed on your profile)'),
      !!gist?.public
    );
    let clearRow: HTMLElement;
    [clearRow, this.clearOutputs] = checkbox(trans.__('Clear outputs'));
    this.node.append(
      field(trans.__('Description'), this.description),
      visibility
    );
    if (gist) {
      const note = paragraph(trans.__('Saving updates your gist '));
      note.append(link(gist.html_url, gist.html_url));
      note.append(
        document.createTextNode(
          trans.__(
            ' as a new revision (changing its visibility makes a new gist).'
          )
        )
      );
      let newRow: HTMLElement;
      [newRow, this.newGist] = checkbox(trans.__('Make a new gist instead'));
      this.node.append(note, newRow);
    }
    this.node.append(clearRow);
  }

  getValue(): GistChoice {
    return {
      public: this.public.checked,
      description: this.description.value.trim(),
      clear_outputs: this.clearOutputs.checked,
      new_gist: this.newGist?.checked ?? false
    };
  }
}
