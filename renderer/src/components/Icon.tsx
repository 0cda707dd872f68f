// The player's icons, drawn: the emoji and symbol characters they were (⏮ ⏭ 🔀 🔁) are empty boxes on a
// system without an emoji font. Each button keeps its aria-label; the icon is decoration.

/** Filled shapes (f) or strokes (s), on a 24-unit square. */
const ICONS = {
  play: { f: 'M8 5v14l11-7z' },
  pause: { f: 'M6 5h4v14H6zM14 5h4v14h-4z' },
  previous: { f: 'M6 6h2v12H6zM9.5 12 18 18V6z' },
  next: { f: 'M16 6h2v12h-2zM6 18l8.5-6L6 6z' },
  shuffle: { s: 'M4 7h3l10 10h3M4 17h3L17 7h3M17 4l3 3-3 3M17 14l3 3-3 3' },
  repeat: { s: 'M4 12V9a2 2 0 0 1 2-2h12M15 4l3 3-3 3M20 12v3a2 2 0 0 1-2 2H6M9 20l-3-3 3-3' },
  repeatOne: {
    s: 'M4 12V9a2 2 0 0 1 2-2h12M15 4l3 3-3 3M20 12v3a2 2 0 0 1-2 2H6M9 20l-3-3 3-3M11.5 10.5 12.5 10v4',
  },
} as const;

export type IconName = keyof typeof ICONS;

export function Icon({ name }: { name: IconName }) {
  const icon: { f?: string; s?: string } = ICONS[name];
  return (
    <svg className="icon" viewBox="0 0 24 24" width="18" height="18" aria-hidden="true">
      {icon.f && <path d={icon.f} fill="currentColor" />}
      {icon.s && (
        <path
          d={icon.s}
          fill="none"
          stroke="currentColor"
          strokeWidth="2"
          strokeLinecap="round"
          strokeLinejoin="round"
        />
      )}
    </svg>
  );
}
