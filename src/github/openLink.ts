/**
 * Open-in links to this server (`<base_url>colab/open/...`, Colab's URL scheme) for a notebook
 * whose GitHub record says where it lives, and the badge snippets that carry them. Pure.
 */
import { IGitHubRecord } from './record';

/** The badge image: a plain "Open in JupyterLab" label (Colab's badge would say Colab). */
export const BADGE_IMAGE =
  'https://img.shields.io/badge/Open%20in-JupyterLab-F37626?logo=jupyter';
export const BADGE_ALT = 'Open in JupyterLab';

function segments(path: string): string {
  return path
    .split('/')
    .filter(Boolean)
    .map(part => encodeURIComponent(part))
    .join('/');
}

/**
 * The open-in link for a notebook: its repository file when it has one, else its gist; null
 * when the notebook has never been opened from or saved to GitHub. `baseUrl` is the server's
 * absolute base URL (ending in '/').
 */
export function openInLink(
  baseUrl: string,
  record: IGitHubRecord
): string | null {
  const root = baseUrl.replace(/\/?$/, '/') + 'colab/open/';
  const file = record.file;
  if (file && file.owner && file.repo && file.branch && file.path) {
    return (
      root +
      ['github', file.owner, file.repo, 'blob']
        .map(encodeURIComponent)
        .join('/') +
      '/' +
      segments(file.branch) +
      '/' +
      segments(file.path)
    );
  }
  const gist = record.gist;
  if (gist && gist.id) {
    const owner = gist.owner ? encodeURIComponent(gist.owner) + '/' : '';
    const name = gist.filename ? '/' + encodeURIComponent(gist.filename) : '';
    return `${root}gist/${owner}${encodeURIComponent(gist.id)}${name}`;
  }
  return null;
}

function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/"/g, '&quot;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** The badge as Markdown, for a README. */
export function badgeMarkdown(link: string): string {
  return `[![${BADGE_ALT}](${BADGE_IMAGE})](${link})`;
}

/** The badge as HTML, for a notebook's markdown cell or a web page. */
export function badgeHtml(link: string): string {
  return (
    `<a href="${escapeHtml(link)}" target="_parent">` +
    `<img src="${BADGE_IMAGE}" alt="${BADGE_ALT}"/></a>`
  );
}
