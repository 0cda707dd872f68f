import { describe, expect, it } from 'vitest';
import {
  fitView,
  MAX_ZOOM,
  PointGrid,
  panBy,
  toMap,
  toScreen,
  zoomAt,
} from '../../../renderer/src/map-view-state.ts';
import { lcg } from '../../helpers.ts';

describe('library map geometry', () => {
  it('fits the map into the canvas and maps screen and map coordinates both ways', () => {
    const view = fitView(800, 600);
    expect(toScreen(view, 800, 600, 0, 0)).toEqual([400, 300]);
    const [sx, sy] = toScreen(view, 800, 600, 1, 1);
    expect(sx).toBeLessThan(800);
    expect(sy).toBeGreaterThan(0); // y grows upwards on the map
    const [mx, my] = toMap(view, 800, 600, sx, sy);
    expect(mx).toBeCloseTo(1, 9);
    expect(my).toBeCloseTo(1, 9);
  });

  it('zooms about the pointer: the map point under it stays there, within the zoom limits', () => {
    const fit = fitView(800, 600);
    const before = toMap(fit, 800, 600, 650, 120);
    const zoomed = zoomAt(fit, 800, 600, 650, 120, 3, fit.scale);
    expect(zoomed.scale).toBeCloseTo(fit.scale * 3, 9);
    const after = toMap(zoomed, 800, 600, 650, 120);
    expect(after[0]).toBeCloseTo(before[0], 9);
    expect(after[1]).toBeCloseTo(before[1], 9);
    const far = zoomAt(fit, 800, 600, 0, 0, 1e9, fit.scale);
    expect(far.scale).toBe(fit.scale * MAX_ZOOM);
  });

  it('pans with the drag: dragging right moves the map right', () => {
    const view = panBy(fitView(800, 600), 100, 0);
    expect(toScreen(view, 800, 600, 0, 0)[0]).toBeCloseTo(500, 9);
  });

  it('finds the nearest point within the radius, as a full scan does', () => {
    const next = lcg(7);
    const n = 5000;
    const xy = new Float32Array(2 * n).map(() => (next() / 2 ** 32) * 2 - 1);
    const grid = new PointGrid(xy);
    for (let q = 0; q < 200; q++) {
      const x = (next() / 2 ** 32) * 2 - 1;
      const y = (next() / 2 ** 32) * 2 - 1;
      const radius = 0.03;
      let best = -1;
      let bestD = radius * radius;
      for (let i = 0; i < n; i++) {
        const d = (xy[2 * i]! - x) ** 2 + (xy[2 * i + 1]! - y) ** 2;
        if (d <= bestD) {
          bestD = d;
          best = i;
        }
      }
      expect(grid.nearest(x, y, radius)).toBe(best);
    }
    expect(grid.nearest(5, 5, 0.01)).toBe(-1);
  });
});
