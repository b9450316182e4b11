/**
 * colab-ext: the plugins, one per feature. Each feature's code lives in its own folder.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { runtimePlugin } from './runtime/plugin';
import { runtimeTypePlugin } from './runtime/typePlugin';

const plugins: JupyterFrontEndPlugin<any>[] = [
  runtimePlugin,
  runtimeTypePlugin
];

export default plugins;
