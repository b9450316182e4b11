/**
 * colab-ext: the plugins, one per feature. Each feature's code lives in its own folder.
 */
import { JupyterFrontEndPlugin } from '@jupyterlab/application';

import { resourcesPlugin } from './resources/plugin';
import { runtimePlugin } from './runtime/plugin';
import { sharePlugin } from './share/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, resourcesPlugin];
import { githubPlugin } from './github/plugin';
import { runtimePlugin } from './runtime/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, githubPlugin];
import { drivePlugin } from './drive/plugin';
import { runtimePlugin } from './runtime/plugin';

const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, drivePlugin];
const plugins: JupyterFrontEndPlugin<any>[] = [runtimePlugin, sharePlugin];

export default plugins;
