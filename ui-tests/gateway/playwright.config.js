/**
 * The gateway browser test: a JupyterLab whose kernels all run on a real Jupyter Enterprise
 * Gateway (launch.py starts both), driven in Debian's Chromium. Run from ui-tests/:
 *   jlpm playwright test -c gateway/playwright.config.js
 * No retries: a kernel websocket that stalls must fail the run, not be retried away.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const mainConfig = require('../playwright.config');

// Not 8888: this server runs beside the main browser tests' (COLAB_EXT_UI_PORT overrides it).
const port = process.env.COLAB_EXT_UI_PORT || '8874';

module.exports = {
  ...baseConfig,
  testDir: '.',
  // Not *.spec.ts: the main config (ui-tests/playwright.config.js) collects those, and this
  // test needs the gateway server above.
  testMatch: 'kernels.gateway.ts',
  outputDir: '../test-results/gateway',
  reporter: [['list']],
  retries: 0,
  timeout: 90000,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    // Debian's Chromium, with the main config's flags.
    launchOptions: mainConfig.use.launchOptions,
    trace: 'off',
    video: 'off'
  },
  webServer: {
    command: 'python launch.py',
    url: `http://localhost:${port}/lab`,
    env: { ...process.env, COLAB_EXT_UI_PORT: port },
    timeout: 120 * 1000,
    reuseExistingServer: false
  }
};
