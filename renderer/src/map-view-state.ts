// The library map's geometry, pure (tested without a DOM): a view (centre and scale) mapping the map's
// −1..1 coordinates to canvas pixels, zoom about a point, and a uniform grid that finds the point under
// the pointer without scanning all of them.

export interface MapView {
  /** Map coordinates at the canvas centre. */
  readonly cx: number;
  readonly cy: number;
  /** Pixels per map unit. */
  readonly scale: number;
}

export const MIN_ZOOM = 0.5;
export const MAX_ZOOM = 400;

/** The whole map in a width × height canvas, with a margin. */
export function fitView(width: number, height: number): MapView {
  return { cx: 0, cy: 0, scale: (Math.min(width, height) / 2) * 0.92 };
}

export function toScreen(
  view: MapView,
  width: number,
  height: number,
  x: number,
  y: number,
): [number, number] {
  return [(x - view.cx) * view.scale + width / 2, (view.cy - y) * view.scale + height / 2];
}

export function toMap(
  view: MapView,
  width: number,
  height: number,
  sx: number,
  sy: number,
): [number, number] {
  return [(sx - width / 2) / view.scale + view.cx, view.cy - (sy - height / 2) / view.scale];
}

/** Zooms by `factor` keeping the map point under (sx, sy) where it is; the scale stays within limits
 *  relative to the fitted scale `fit`. */
export function zoomAt(
  view: MapView,
  width: number,
  height: number,
  sx: number,
  sy: number,
  factor: number,
  fit: number,
): MapView {
  const scale = Math.min(fit * MAX_ZOOM, Math.max(fit * MIN_ZOOM, view.scale * factor));
  const [mx, my] = toMap(view, width, height, sx, sy);
  return { scale, cx: mx - (sx - width / 2) / scale, cy: my + (sy - height / 2) / scale };
}

export function panBy(view: MapView, dx: number, dy: number): MapView {
  return { ...view, cx: view.cx - dx / view.scale, cy: view.cy + dy / view.scale };
}

const CELLS = 128;

/** Points bucketed into CELLS × CELLS cells over −1..1 (a counting sort: two flat arrays). */
export class PointGrid {
  readonly #xy: Float32Array;
  readonly #start = new Int32Array(CELLS * CELLS + 1);
  readonly #order: Int32Array;

  constructor(xy: Float32Array) {
    this.#xy = xy;
    const n = xy.length / 2;
    const cellOf = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const c = cell(xy[2 * i + 1]!) * CELLS + cell(xy[2 * i]!);
      cellOf[i] = c;
      this.#start[c + 1]!++;
    }
    for (let c = 0; c < CELLS * CELLS; c++) this.#start[c + 1]! += this.#start[c]!;
    const next = this.#start.slice(0, CELLS * CELLS);
    this.#order = new Int32Array(n);
    for (let i = 0; i < n; i++) this.#order[next[cellOf[i]!]!++] = i;
  }

  /** Index of the point nearest (x, y) within `radius` map units, or −1. */
  nearest(x: number, y: number, radius: number): number {
    let best = -1;
    let bestD = radius * radius;
    const [x0, x1, y0, y1] = [cell(x - radius), cell(x + radius), cell(y - radius), cell(y + radius)];
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++) {
        const c = cy * CELLS + cx;
        for (let k = this.#start[c]!; k < this.#start[c + 1]!; k++) {
          const i = this.#order[k]!;
          const d = (this.#xy[2 * i]! - x) ** 2 + (this.#xy[2 * i + 1]! - y) ** 2;
          if (d <= bestD) {
            bestD = d;
            best = i;
          }
        }
      }
    }
    return best;
  }
}

function cell(v: number): number {
  return Math.min(CELLS - 1, Math.max(0, Math.floor(((v + 1) / 2) * CELLS)));
}
