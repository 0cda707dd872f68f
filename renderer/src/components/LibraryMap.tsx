// The library map: every analysed track as a dot at its 2D projection, drawn into one ImageData per
// frame (100k points cost about a millisecond, no DOM node per point), coloured by genre or artist.
// Drag pans, the wheel zooms about the pointer, hovering names the track, a click selects it.
import {
  type Dispatch,
  type PointerEvent,
  type RefObject,
  type SetStateAction,
  useCallback,
  useEffect,
  useMemo,
  useRef,
  useState,
} from 'react';
import { MAP_NO_VALUE, MAP_OTHER, type Result, type TrackRow } from '../../../app/shared/rpc-contract.ts';
import { useApp } from '../app-context.tsx';
import { formatNumber, trackTitle } from '../format.ts';
import { fitView, type MapView, PointGrid, panBy, toMap, toScreen, zoomAt } from '../map-view-state.ts';

export interface MapPoints {
  readonly count: number;
  readonly ids: Int32Array;
  readonly xy: Float32Array;
  readonly category: Uint8Array;
  readonly categories: Result<'map.points'>['categories'];
  readonly explained: readonly [number, number];
}

function decode(b64: string): ArrayBuffer {
  const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
  return bytes.buffer;
}

export function decodeMap(r: Result<'map.points'>): MapPoints {
  return {
    count: r.count,
    ids: new Int32Array(decode(r.ids)),
    xy: new Float32Array(decode(r.xy)),
    category: new Uint8Array(decode(r.category)),
    categories: r.categories,
    explained: r.explained,
  };
}

/** Categorical colours (Tableau 10 and two more), then "other" and "no value". */
export const PALETTE = [
  '#4e79a7',
  '#f28e2b',
  '#e15759',
  '#76b7b2',
  '#59a14f',
  '#edc948',
  '#b07aa1',
  '#ff9da7',
  '#9c755f',
  '#2f4b7c',
  '#a05195',
  '#665191',
];
const OTHER_COLOR = '#8a909b';
const NONE_COLOR = '#b9bec8';

/** A CSS hex colour as the little-endian RGBA word ImageData's Uint32 view takes. */
function rgbaWord(hex: string): number {
  const n = Number.parseInt(hex.slice(1), 16);
  return ((0xff << 24) | ((n & 0xff) << 16) | (n & 0xff00) | ((n >> 16) & 0xff)) >>> 0;
}

const WORDS = new Uint32Array(256).fill(rgbaWord(OTHER_COLOR));
PALETTE.forEach((c, i) => {
  WORDS[i] = rgbaWord(c);
});
WORDS[MAP_OTHER] = rgbaWord(OTHER_COLOR);
WORDS[MAP_NO_VALUE] = rgbaWord(NONE_COLOR);

/** Dot diameter in CSS pixels: large for a few tracks, small for many, growing as the map is zoomed. */
function dotSize(count: number, zoom: number): number {
  const base = count < 1000 ? 7 : count < 20_000 ? 4 : 2;
  return Math.min(12, Math.round(base * Math.max(1, Math.sqrt(zoom) / 2)));
}

/** Each row of a disc of this diameter as [from, to) columns: dots are drawn as spans of pixels. */
const discCache = new Map<number, Array<[number, number]>>();
function discSpans(diameter: number): Array<[number, number]> {
  const d = Math.max(1, Math.round(diameter));
  let spans = discCache.get(d);
  if (!spans) {
    const r = d / 2;
    spans = Array.from({ length: d }, (_, y) => {
      const half = d <= 2 ? r : Math.sqrt(Math.max(0, r * r - (y + 0.5 - r) ** 2));
      return [Math.round(r - half), Math.round(r + half)] as [number, number];
    });
    discCache.set(d, spans);
  }
  return spans;
}

/** The canvas's size in CSS pixels, from its device-pixel size. */
const cssSize = (size: { width: number; height: number; dpr: number }) => ({
  width: size.width / size.dpr,
  height: size.height / size.dpr,
});

/** An event's position relative to the canvas, in CSS pixels. */
function local(
  canvas: HTMLCanvasElement,
  e: { clientX: number; clientY: number },
): readonly [number, number] {
  const r = canvas.getBoundingClientRect();
  return [e.clientX - r.left, e.clientY - r.top];
}

const HOVER_RADIUS_PX = 6;
const CLICK_SLOP_PX = 4;

interface Paint {
  readonly points: MapPoints;
  readonly indexOf: ReadonlyMap<number, number>;
  readonly view: MapView;
  readonly size: { width: number; height: number; dpr: number };
  /** The scale that fits the whole map: dots grow as the view zooms past it. */
  readonly fit: number;
  readonly marks: { selected: number | null; marked: readonly number[] };
}

/** The map drawn into the canvas: a dot a track (pixels written directly), then rings on the marked
 *  tracks and the selected one. The view drawn is left on the canvas for tests to read. */
function paintMap(c: HTMLCanvasElement, { points, indexOf, view: v, size, fit, marks }: Paint): void {
  const ctx = c.getContext('2d');
  const { width, height, dpr } = size;
  if (!ctx || width < 1 || height < 1) return; // not laid out yet
  const image = ctx.createImageData(width, height);
  const pixels = new Uint32Array(image.data.buffer);
  const s = v.scale * dpr;
  const { xy, category, count } = points;
  const spans = discSpans(dotSize(count, v.scale / fit) * dpr);
  const reach = spans.length;
  // Top-left of each dot, so that the dot is centred on its point.
  const cornerX = width / 2 - v.cx * s - reach / 2;
  const cornerY = height / 2 + v.cy * s - reach / 2;
  for (let i = 0; i < count; i++) {
    const px = (xy[2 * i]! * s + cornerX) | 0;
    const py = (cornerY - xy[2 * i + 1]! * s) | 0;
    if (px < 0 || py < 0 || px > width - reach || py > height - reach) continue;
    const word = WORDS[category[i]!]!;
    for (let dy = 0; dy < reach; dy++) {
      const [from, to] = spans[dy]!;
      const row = (py + dy) * width + px;
      pixels.fill(word, row + from, row + to);
    }
  }
  ctx.putImageData(image, 0, 0);
  // Rings over the dots: the neighbours, then the selected track.
  const ring = (id: number, radius: number, color: string, lineWidth: number) => {
    const i = indexOf.get(id);
    if (i === undefined) return;
    const [sx, sy] = toScreen(v, width / dpr, height / dpr, xy[2 * i]!, xy[2 * i + 1]!);
    ctx.beginPath();
    ctx.arc(sx * dpr, sy * dpr, radius * dpr, 0, 2 * Math.PI);
    ctx.strokeStyle = color;
    ctx.lineWidth = lineWidth * dpr;
    ctx.stroke();
  };
  const accent = getComputedStyle(c).getPropertyValue('--accent').trim() || '#3b6fd8';
  for (const id of marks.marked) ring(id, 5, accent, 1.5);
  if (marks.selected !== null) ring(marks.selected, 8, accent, 3);
  c.dataset.view = JSON.stringify({ ...v, width: width / dpr, height: height / dpr });
}

/** The row of the track under the pointer, to name it: fetched once and remembered; never the previous
 *  point's while the next one's is on its way. */
function useHoverRow(id: number | null): TrackRow | null {
  const { backend } = useApp();
  const [row, setRow] = useState<TrackRow | null>(null);
  const rows = useRef(new Map<number, TrackRow>());
  useEffect(() => {
    setRow(null);
    if (id === null) return;
    const known = rows.current.get(id);
    if (known) return setRow(known);
    let live = true;
    backend.client.call('library.rows', { ids: [id] }).then(
      (r) => {
        const found = r.rows[0];
        if (found) rows.current.set(found.id, found);
        if (live) setRow(found ?? null);
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [id, backend]);
  return row;
}

/** What the map's hooks share: its canvas, its size in device pixels, the view shown, the scale that
 *  fits the whole map, and a frame asked for. */
interface MapFrame {
  readonly canvas: RefObject<HTMLCanvasElement | null>;
  readonly size: RefObject<{ width: number; height: number; dpr: number }>;
  readonly view: RefObject<MapView>;
  readonly fit: RefObject<number>;
  redraw(): void;
}

/** The canvas sized to its box in device pixels as the box changes; the first size fits the whole map,
 *  and `fit` follows the box (what "the whole map" is at this size). */
function useFitToBox({ canvas, size, view, fit, redraw }: MapFrame): void {
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const observer = new ResizeObserver(() => {
      const dpr = Math.min(2, window.devicePixelRatio || 1);
      const width = Math.max(1, Math.round(c.clientWidth * dpr));
      const height = Math.max(1, Math.round(c.clientHeight * dpr));
      const first = size.current.width === 0;
      size.current = { width, height, dpr };
      c.width = width;
      c.height = height;
      const fitted = fitView(width / dpr, height / dpr);
      fit.current = fitted.scale;
      if (first) view.current = fitted;
      redraw();
    });
    observer.observe(c);
    return () => observer.disconnect();
  }, [canvas, size, view, fit, redraw]);
}

/** The track under the pointer, and where to show its name. */
interface Hover {
  readonly id: number;
  readonly x: number;
  readonly y: number;
}

interface Props {
  readonly points: MapPoints;
  readonly selected: number | null;
  /** Tracks to ring (the neighbours shown beside the map). */
  readonly marked: readonly number[];
  onPick(id: number): void;
}

export function LibraryMap({ points, selected, marked, onPick }: Props) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const size = useRef({ width: 0, height: 0, dpr: 1 });
  const view = useRef<MapView>({ cx: 0, cy: 0, scale: 1 });
  const fit = useRef(1);
  const frame = useRef(0);
  const grid = useMemo(() => new PointGrid(points.xy), [points]);
  const indexOf = useMemo(() => new Map(Array.from(points.ids, (id, i) => [id, i])), [points]);
  const [hover, setHover] = useState<Hover | null>(null);
  const marks = useRef({ selected, marked });
  marks.current = { selected, marked };

  const draw = useCallback(() => {
    frame.current = 0;
    const c = canvas.current;
    if (c)
      paintMap(c, {
        points,
        indexOf,
        view: view.current,
        size: size.current,
        fit: fit.current,
        marks: marks.current,
      });
  }, [points, indexOf]);

  const redraw = useCallback(() => {
    if (!frame.current) frame.current = requestAnimationFrame(draw);
  }, [draw]);

  const parts: MapFrame = { canvas, size, view, fit, redraw };
  useFitToBox(parts);
  // biome-ignore lint/correctness/useExhaustiveDependencies: new marks or points need a new frame
  useEffect(redraw, [redraw, selected, marked]);

  const hoverRow = useHoverRow(hover?.id ?? null);
  const { onPointerDown, onPointerMove, onPointerUp, drag } = useMapPointer({
    ...parts,
    grid,
    ids: points.ids,
    setHover,
    onPick,
  });
  useWheelZoom(parts);

  const reset = () => {
    const { width, height } = cssSize(size.current);
    view.current = fitView(width, height);
    redraw();
  };

  return (
    <div className="library-map">
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Library map of ${formatNumber(points.count)} tracks`}
        data-points={points.count}
        onPointerDown={onPointerDown}
        onPointerMove={onPointerMove}
        onPointerUp={onPointerUp}
        onPointerLeave={() => setHover(null)}
        onPointerCancel={() => {
          drag.current = null;
        }}
        onLostPointerCapture={() => {
          drag.current = null;
        }}
        onDoubleClick={reset}
      />
      {hover && hoverRow && (
        <div className="map-tooltip" role="tooltip" style={{ left: hover.x + 12, top: hover.y + 12 }}>
          <strong>{trackTitle(hoverRow)}</strong>
          <div className="dim">{[hoverRow.tags.artist, hoverRow.tags.album].filter(Boolean).join(' · ')}</div>
        </div>
      )}
      <button type="button" className="map-reset" onClick={reset}>
        Fit
      </button>
    </div>
  );
}

/** Drag pans the map, hovering finds the nearest track (its tooltip), a click without a drag picks it. */
function useMapPointer(
  m: MapFrame & {
    readonly grid: PointGrid;
    readonly ids: Int32Array;
    redraw(): void;
    readonly setHover: Dispatch<SetStateAction<Hover | null>>;
    onPick(id: number): void;
  },
) {
  const { canvas, size, view, grid, ids, redraw, setHover, onPick } = m;
  const pointAt = (sx: number, sy: number): number => {
    const { width, height } = cssSize(size.current);
    const [mx, my] = toMap(view.current, width, height, sx, sy);
    return grid.nearest(mx, my, HOVER_RADIUS_PX / view.current.scale);
  };

  const drag = useRef<{ x: number; y: number; moved: boolean } | null>(null);

  const onPointerDown = (e: PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) return;
    drag.current = { x: e.clientX, y: e.clientY, moved: false };
    e.currentTarget.setPointerCapture(e.pointerId);
  };
  const onPointerMove = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d) {
      const dx = e.clientX - d.x;
      const dy = e.clientY - d.y;
      if (d.moved || Math.abs(dx) + Math.abs(dy) > CLICK_SLOP_PX) {
        d.moved = true;
        view.current = panBy(view.current, dx, dy);
        d.x = e.clientX;
        d.y = e.clientY;
        setHover(null);
        redraw();
      }
      return;
    }
    const [sx, sy] = local(canvas.current!, e);
    const i = pointAt(sx, sy);
    const id = i < 0 ? null : ids[i]!;
    setHover((h) => (id === null ? null : h?.id === id ? h : { id, x: sx, y: sy }));
  };
  const onPointerUp = (e: PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    drag.current = null;
    if (d && !d.moved) {
      const [sx, sy] = local(canvas.current!, e);
      const i = pointAt(sx, sy);
      if (i >= 0) onPick(ids[i]!);
    }
  };
  return { onPointerDown, onPointerMove, onPointerUp, drag };
}

/** The wheel zooms the map about the pointer, never the page: a non-passive listener may prevent the default. */
function useWheelZoom({ canvas, size, view, fit, redraw }: MapFrame): void {
  useEffect(() => {
    const c = canvas.current;
    if (!c) return;
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const [sx, sy] = local(c, e);
      const { width, height } = cssSize(size.current);
      view.current = zoomAt(view.current, width, height, sx, sy, Math.exp(-e.deltaY * 0.0015), fit.current);
      redraw();
    };
    c.addEventListener('wheel', onWheel, { passive: false });
    return () => c.removeEventListener('wheel', onWheel);
  }, [canvas, size, view, fit, redraw]);
}
