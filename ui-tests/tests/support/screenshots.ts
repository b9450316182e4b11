import * as path from 'path';

/**
 * Where the README's picture `name` goes, or null: the pictures under docs/screenshots are
 * refreshed only when asked (COLAB_EXT_UPDATE_SCREENSHOTS=1), so a test run does not change the
 * source tree.
 */
export function readmeScreenshot(name: string): string | null {
  return process.env.COLAB_EXT_UPDATE_SCREENSHOTS
    ? path.resolve(__dirname, '..', '..', '..', 'docs', 'screenshots', name)
    : null;
}
