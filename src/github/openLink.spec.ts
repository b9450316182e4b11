import { badgeHtml, badgeMarkdown, openInLink } from './openLink';

const BASE = 'https://hub.example/user/ann/';

describe('openInLink', () => {
  it('links a repository file, branch slashes and all', () => {
    const link = openInLink(BASE, {
      file: {
        owner: 'octo',
        repo: 'notebooks',
        branch: 'feature/x',
        path: 'nb/a b#1.ipynb'
      }
    });
    expect(link).toBe(
      'https://hub.example/user/ann/colab/open/github/octo/notebooks/blob/feature/x/nb/a%20b%231.ipynb'
    );
  });

  it('links a gist when there is no file', () => {
    const link = openInLink('https://h/', {
      gist: {
        id: 'abc123',
        html_url: '',
        public: true,
        owner: 'octo',
        filename: 'n.ipynb'
      }
    });
    expect(link).toBe('https://h/colab/open/gist/octo/abc123/n.ipynb');
  });

  it('is null for a notebook GitHub has never seen', () => {
    expect(openInLink(BASE, {})).toBeNull();
  });
});

describe('badges', () => {
  it('escapes the link in HTML and wraps it in Markdown', () => {
    expect(badgeHtml('https://h/a"b')).toContain('href="https://h/a&quot;b"');
    expect(badgeMarkdown('https://h/x')).toMatch(
      /^\[!\[Open in JupyterLab\]\(.+\)\]\(https:\/\/h\/x\)$/
    );
  });
});
