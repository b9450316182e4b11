/**
 * Whether colab-ext's server half is loaded in the server that served this page, read from the
 * page config (no request, so it costs nothing on the way to JupyterLab's first paint).
 *
 * The server half writes its version into the page config when it loads. The frontend half
 * can be served without it: colab-ext installed into another Python than the server's, the
 * server not restarted since the install, or the server extension failing to load. Then every
 * colab route is a 404; this module lets the features say so once, plainly.
 */
import { PageConfig } from '@jupyterlab/coreutils';

/** The page config key the server half sets (see `colab_ext/app.py`). */
export const PAGE_CONFIG_KEY = 'colabExtServerVersion';

/**
 * The version of this frontend, from the package's own package.json (bundled at build time),
 * the same single source the Python package's version comes from.
 */
// The bundler inlines the file; TypeScript's rootDir keeps it from being an `import`.
declare const require: (id: string) => { version: string };
export const FRONTEND_VERSION: string = require('../../package.json').version;

/** What is wrong with the server half, as seen from the page. */
export type ServerPartProblem =
  { kind: 'missing' } | { kind: 'version'; server: string; frontend: string };

/**
 * The problem with the server half, or null when it is loaded and of this frontend's version.
 *
 * @param serverVersion - the page config's value (passed in by tests)
 */
export function serverPartProblem(
  serverVersion: string = PageConfig.getOption(PAGE_CONFIG_KEY),
  frontendVersion: string = FRONTEND_VERSION
): ServerPartProblem | null {
  if (!serverVersion) {
    return { kind: 'missing' };
  }
  if (serverVersion !== frontendVersion) {
    return {
      kind: 'version',
      server: serverVersion,
      frontend: frontendVersion
    };
  }
  return null;
}

/** True when the server half answers colab routes (whatever its version). */
export function serverPartLoaded(): boolean {
  return serverPartProblem()?.kind !== 'missing';
}

/** The start-up notice: what is wrong, in one line; its "How to fix" button explains. */
export function serverPartNotice(problem: ServerPartProblem): string {
  if (problem.kind === 'missing') {
    return (
      "colab-ext's server part is not running in this Jupyter server: the Runtime menu, " +
      'resources, Drive, GitHub, share links and ! commands will not work until it is.'
    );
  }
  return (
    `colab-ext's server part is version ${problem.server} and this page's is ` +
    `${problem.frontend}: restart JupyterLab, then reload this page.`
  );
}

/** One line for places that would otherwise show a bare 404 (dialogs, error messages). */
export function serverPartShortMessage(problem: ServerPartProblem): string {
  if (problem.kind === 'missing') {
    return (
      "colab-ext's server part is not running in this Jupyter server, so this cannot work. " +
      'Its notification (the bell in the status bar) says why and how to fix it.'
    );
  }
  return (
    `colab-ext's server part is version ${problem.server} and this page's is ` +
    `${problem.frontend}: restart JupyterLab, then reload this page.`
  );
}

/** The whole explanation, most likely cause first, each with what to do. */
export function serverPartExplanation(problem: ServerPartProblem): string[] {
  if (problem.kind === 'version') {
    return [
      `The Jupyter server runs colab-ext ${problem.server}, while this page loaded colab-ext ` +
        `${problem.frontend}. This happens when colab-ext was upgraded or reinstalled while ` +
        'JupyterLab kept running.',
      'Stop JupyterLab and start it again, then reload this page.'
    ];
  }
  return [
    "colab-ext's JupyterLab part is installed, but its part in the Jupyter server is not " +
      'running, so the Runtime menu, resources, Drive, GitHub, share links and ! commands ' +
      'cannot work. In order of likelihood:',
    '1. JupyterLab was not restarted after colab-ext was installed. Stop it and start it again.',
    '2. colab-ext was installed into a different Python environment from the one running this ' +
      'server. Install it with the Python that runs `jupyter lab`: ' +
      '`<that python> -m pip install colab-ext`. `jupyter server extension list`, run from that ' +
      'environment, must show "colab_ext ... enabled" and "OK".',
    '3. The server part failed to load or is disabled. The server log has a line naming ' +
      'colab_ext with the reason; `jupyter server extension list` shows it too. A disabled ' +
      'one is enabled with `jupyter server extension enable colab_ext`.'
  ];
}
