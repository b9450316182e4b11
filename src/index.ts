/**
 * colab-ext: the plugins, one per feature. Each feature's code lives in its own folder.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { runtimePlugin } from './runtime/plugin';
import { shellPlugin } from './shell/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, shellPlugin];

export default plugins;
