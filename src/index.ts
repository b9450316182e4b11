/**
 * colab-ext: the plugins, one per feature. Each feature's code lives in its own folder.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { drivePlugin } from './drive/plugin';
import { runtimePlugin } from './runtime/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, drivePlugin];

export default plugins;
