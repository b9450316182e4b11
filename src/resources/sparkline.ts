/**
 * Small history charts drawn as SVG polylines: no chart library for a few dozen points.
 */

/**
 * The `points` attribute of an SVG polyline for `values` in a `width` x `height` box.
 * Values are scaled against `max` (0 at the bottom); gaps (null) split the line into runs.
 */
export function sparklineRuns(
  values: (number | null)[],
  max: number,
  width: number,
  height: number
): string[] {
  if (values.length === 0 || !(max > 0)) {
    return [];
  }
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const runs: string[] = [];
  let run: string[] = [];
  values.forEach((value, i) => {
    if (value === null || !Number.isFinite(value)) {
      if (run.length) {
        runs.push(run.join(' '));
      }
      run = [];
      return;
    }
    const clamped = Math.min(Math.max(value, 0), max);
    const x = values.length > 1 ? i * step : width;
    const y = height - (clamped / max) * height;
    run.push(`${round(x)},${round(y)}`);
  });
  if (run.length) {
    runs.push(run.join(' '));
  }
  return runs;
}

function round(value: number): number {
  return Math.round(value * 10) / 10;
}

const SVG = 'http://www.w3.org/2000/svg';

/** An SVG element drawing `values` against `max`, labelled for screen readers. */
export function sparkline(
  values: (number | null)[],
  max: number,
  label: string,
  width = 120,
  height = 24
): SVGSVGElement {
  const svg = document.createElementNS(SVG, 'svg');
  svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  // Stretch to the panel's width (CSS sets it); strokes keep their width.
  svg.setAttribute('preserveAspectRatio', 'none');
  svg.setAttribute('role', 'img');
  svg.setAttribute('aria-label', label);
  svg.classList.add('jp-colab-Sparkline');
  for (const points of sparklineRuns(values, max, width, height)) {
    const line = document.createElementNS(SVG, 'polyline');
    line.setAttribute('points', points);
    svg.appendChild(line);
  }
  return svg;
}
