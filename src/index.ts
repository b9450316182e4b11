/**
 * colab-ext: the plugins, one per feature. Each feature's code lives in its own folder.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { drivePlugin } from './drive/plugin';
import { filesPlugin } from './files/plugin';
import { formsPlugin } from './forms/plugin';
import { githubPlugin } from './github/plugin';
import { outputPlugin } from './output/plugin';
import { resourcesPlugin } from './resources/plugin';
import { runtimePlugin } from './runtime/plugin';
import { runtimeTypePlugin } from './runtime/typePlugin';
import { secretsPlugin } from './secrets/plugin';
import { serverPartPlugin } from './serverPart/plugin';
import { sharePlugin } from './share/plugin';
import { shellPlugin } from './shell/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  serverPartPlugin,
  runtimePlugin,
  runtimeTypePlugin,
  resourcesPlugin,
  shellPlugin,
  githubPlugin,
  drivePlugin,
  sharePlugin,
  secretsPlugin,
  filesPlugin,
  outputPlugin,
  formsPlugin
];

export default plugins;
