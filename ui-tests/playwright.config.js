/**
 * Galata drives a real JupyterLab in Debian's Chromium (Playwright's own browser downloads are not
 * available on these machines). CHROMIUM_PATH overrides where Chromium is.
 */
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

// COLAB_EXT_UI_PORT lets two checkouts run their browser tests side by side.
const port = process.env.COLAB_EXT_UI_PORT || '8888';

module.exports = {
  ...baseConfig,
  outputDir: 'test-results',
  reporter: [['list'], ['html', { open: 'never' }]],
  retries: process.env.CI ? 1 : 0,
  timeout: 90000,
  use: {
    ...baseConfig.use,
    baseURL: `http://localhost:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync'
      ]
    },
    // Recording a trace slows every action; a failure is retried in CI, with its trace.
    trace: 'on-first-retry',
    // Video needs Playwright's own ffmpeg download, which these machines cannot fetch.
    video: 'off'
  },
  webServer: {
    command: 'jlpm start',
    url: `http://localhost:${port}/lab`,
    // Stand-in GPUs for the runtime-type tests (see jupyter_server_test_config.py); set
    // COLAB_EXT_UI_NVML_GPUS to change them, or to '' for a server without GPUs.
    env: {
      ...process.env,
      COLAB_EXT_UI_NVML_GPUS:
        process.env.COLAB_EXT_UI_NVML_GPUS ??
        'NVIDIA H100 80GB HBM3,NVIDIA A100-SXM4-40GB'
    },
    timeout: 120 * 1000,
    reuseExistingServer: !process.env.CI
  }
};
