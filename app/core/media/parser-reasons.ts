// The general reader's (music-metadata's) errors name its internals ("Atom size exceeds remaining bytes:
// 4294967295 > 22"): said here in the words the scan uses for every other format's damage.

type Say = (m: RegExpExecArray) => string;

const REASONS: ReadonlyArray<readonly [RegExp, Say]> = [
  [
    /^Atom size exceeds remaining bytes: (\d+) > (\d+)/,
    (m) => `corrupt: an MP4 box says it holds ${m[1]} bytes where ${m[2]} remain`,
  ],
  [
    /^(?:Invalid atom size|Atom size exceeds Number\.MAX_SAFE_INTEGER)/,
    () => 'corrupt: an MP4 box has an impossible size',
  ],
  [/^Truncated /, () => 'truncated: the file ends inside an MP4 box'],
  [
    /^Atom (\S+) expected to be (\d+), but specifies (\d+) bytes long/,
    (m) => `corrupt: the MP4 ${m[1]} box says it holds ${m[3]} bytes where ${m[2]} belong`,
  ],
  [
    /^Atom payload exceeds the 64 MiB buffering limit/,
    () => 'corrupt: an MP4 metadata box holds over 64 MiB',
  ],
  [
    /^FourCC contains invalid characters: ((?:[0-9a-f]{2} ){3}[0-9a-f]{2})/,
    (m) => `corrupt: a box or chunk type is not one (bytes ${m[1]})`,
  ],
  [/^Invalid tag item size: (\d+)/, (m) => `corrupt: an APEv2 tag item says it holds ${m[1]} bytes`],
];

/** What the scan says of a file the general reader refused with `message`. */
export function parserReason(message: string): string {
  for (const [pattern, say] of REASONS) {
    const m = pattern.exec(message);
    if (m) return say(m);
  }
  return `corrupt: ${message}`;
}
