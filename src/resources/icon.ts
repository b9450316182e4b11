/**
 * The resource monitor's icon: a small gauge, drawn with the theme's icon colour.
 */
import { LabIcon } from '@jupyterlab/ui-components';

const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="16" viewBox="0 0 24 24">
  <g class="jp-icon3" fill="#616161">
    <path d="M12 4a10 10 0 0 0-8.66 15h17.32A10 10 0 0 0 12 4zm0 2a8 8 0 0 1 7.46 11H4.54A8 8 0 0 1 12 6z"/>
    <path d="M11 15.2 16.5 9l1 .9-5.5 6.3a1.3 1.3 0 1 1-1-1z"/>
  </g>
</svg>`;

export const resourcesIcon = new LabIcon({
  name: 'colab-ext:resources',
  svgstr: svg
});
