/**
 * Copy open-in link: copies the current notebook's link to this server (`colab/open/github/...`)
 * and shows it with badge snippets (Markdown, HTML) to paste into a README or a notebook.
 */
import { JupyterFrontEnd } from '@jupyterlab/application';
import { Clipboard, Dialog, showDialog } from '@jupyterlab/apputils';
import { PageConfig } from '@jupyterlab/coreutils';
import { TranslationBundle } from '@jupyterlab/translation';
import { Widget } from '@lumino/widgets';

import { field, paragraph } from './form';
import { badgeHtml, badgeMarkdown, openInLink } from './openLink';
import { findNotebook, recordOf } from './target';

function snippet(text: string, rows: number): HTMLTextAreaElement {
  const area = document.createElement('textarea');
  area.className =
    'jp-mod-styled jp-colab-GitHub-input jp-colab-OpenLink-snippet';
  area.readOnly = true;
  area.rows = rows;
  area.value = text;
  area.addEventListener('focus', () => area.select());
  return area;
}

function copyButton(text: string, trans: TranslationBundle): HTMLButtonElement {
  const button = document.createElement('button');
  button.className = 'jp-mod-styled jp-mod-reject jp-colab-OpenLink-copy';
  button.textContent = trans.__('Copy');
  button.addEventListener('click', () => Clipboard.copyToSystem(text));
  return button;
}

/** The dialog's body: the link and the two badges, each with its Copy button. */
class OpenLinkBody extends Widget {
  constructor(link: string, trans: TranslationBundle) {
    super();
    this.addClass('jp-colab-GitHub');
    this.addClass('jp-colab-OpenLink');
    const rows: [string, string, number][] = [
      [trans.__('Open-in link'), link, 2],
      [trans.__('Badge (Markdown)'), badgeMarkdown(link), 3],
      [trans.__('Badge (HTML)'), badgeHtml(link), 3]
    ];
    this.node.append(
      paragraph(
        trans.__(
          'The link is copied. Whoever opens it on this server gets a copy of the notebook from GitHub (after logging in and confirming); nothing in it runs.'
        )
      )
    );
    for (const [label, text, size] of rows) {
      const row = field(label, snippet(text, size));
      row.append(copyButton(text, trans));
      this.node.append(row);
    }
  }
}

/** Copy the current notebook's open-in link and show it with its badges. */
export async function copyOpenInLink(
  app: JupyterFrontEnd,
  trans: TranslationBundle,
  path?: string
): Promise<string | null> {
  const target = findNotebook(app, path);
  if (!target) {
    return null;
  }
  // The base URL as the browser reaches the server (absolute, as PageConfig keeps it).
  const base = new URL(PageConfig.getBaseUrl(), window.location.href).href;
  const link = openInLink(base, await recordOf(app, target));
  if (!link) {
    await showDialog({
      title: trans.__('No open-in link yet'),
      body: trans.__(
        'This notebook was not opened from GitHub nor saved there. Save a copy in GitHub (or as a gist) first; its link then opens that copy.'
      ),
      buttons: [Dialog.okButton()]
    });
    return null;
  }
  Clipboard.copyToSystem(link);
  await showDialog({
    title: trans.__('Open-in link'),
    body: new OpenLinkBody(link, trans),
    buttons: [Dialog.okButton({ label: trans.__('Done') })]
  });
  return link;
}
