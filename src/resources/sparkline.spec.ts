import { sparkline, sparklineRuns } from './sparkline';

describe('sparklines', () => {
  it('scales values into the box, 0 at the bottom', () => {
    expect(sparklineRuns([0, 50, 100], 100, 100, 20)).toEqual([
      '0,20 50,10 100,0'
    ]);
  });

  it('splits the line at gaps and clamps outliers', () => {
    expect(sparklineRuns([10, null, 200, 0], 100, 30, 10)).toEqual([
      '0,9',
      '20,0 30,10'
    ]);
  });

  it('draws nothing without data or a scale', () => {
    expect(sparklineRuns([], 100, 10, 10)).toEqual([]);
    expect(sparklineRuns([1, 2], 0, 10, 10)).toEqual([]);
  });

  it('builds an SVG with one polyline per run and a label', () => {
    const svg = sparkline([1, null, 2, 3], 3, 'GPU 0 utilisation history');
    expect(svg.getAttribute('aria-label')).toBe('GPU 0 utilisation history');
    expect(svg.querySelectorAll('polyline')).toHaveLength(2);
  });
});
