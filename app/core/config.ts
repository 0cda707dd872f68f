// config.json in the Sleeve home. Optional; every key is validated and a bad one is named in the error.

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { z as Zod } from 'zod';
import { UserError } from '../../kit/user-error.ts';

// Each key's default, declared once: the schema below uses them.
const SCAN_DEFAULTS = { includeHidden: false, ignore: [] as string[] };
const INDEX_DEFAULTS = { format: 'msgpack' as const, retries: 6 };
const WATCH_DEFAULTS = { enabled: true, poll: false, pollSeconds: 60, settleSeconds: 1 };
const ACOUSTID_DEFAULTS = {
  enabled: false,
  apiKey: '',
  url: 'https://api.acoustid.org/v2',
  requestsPerSecond: 3,
  retries: 4,
};
const MUSICBRAINZ_DEFAULTS = {
  enabled: false,
  url: 'https://musicbrainz.org/ws/2',
  requestsPerSecond: 1,
  retries: 4,
  contact: '',
};
const COVERART_DEFAULTS = { enabled: false, url: 'https://coverartarchive.org' };
const IDENTIFY_DEFAULTS = {
  acoustid: ACOUSTID_DEFAULTS,
  musicbrainz: MUSICBRAINZ_DEFAULTS,
  coverart: COVERART_DEFAULTS,
};
/** Embedded pictures taken in from files; the default is also the cover editor's own limit. */
export const ART_DEFAULTS = { maxBytes: 16 * 1024 * 1024 };
/** The edit history kept undoable (app/core/library/history-prune.ts): at most this many batches, none
 *  older than this many days. */
export const HISTORY_DEFAULTS = { batches: 1000, days: 90 };
const MOUNT_DEFAULTS = { originalTimeoutSeconds: 10, buildAheadMinFiles: 200, keptPagesFiles: 1_048_576 };
const SUBSONIC_DEFAULTS = { passwordLogins: false, corsOrigins: ['*'] };

/** Whether `text` is an origin as a browser sends it (scheme://host[:port], a "/" after it let be), or "*"
 *  (any); a pattern (https://*.example.org) is none: an origin is matched as it is. */
function isOrigin(text: string): boolean {
  if (text === '*') return true;
  if (text.includes('*')) return false;
  try {
    return new URL(text).origin === text.replace(/\/$/, '');
  } catch {
    return false;
  }
}

/** config.json's identify section: AcoustID, MusicBrainz and the Cover Art Archive, each off by default. */
function identifySchema(z: typeof Zod) {
  return z
    .object({
      acoustid: z
        .object({
          enabled: z.boolean().default(ACOUSTID_DEFAULTS.enabled),
          /** The application key (https://acoustid.org/new-application). */
          apiKey: z.string().default(ACOUSTID_DEFAULTS.apiKey),
          /** An AcoustID-compatible server's /v2 base. */
          url: z.string().url().default(ACOUSTID_DEFAULTS.url),
          /** At most 3 (the service's limit). */
          requestsPerSecond: z.number().positive().max(3).default(ACOUSTID_DEFAULTS.requestsPerSecond),
          /** Tries after the first when the service is busy or unreachable (1, 2, 4, 8 s apart). */
          retries: z.number().int().min(0).max(8).default(ACOUSTID_DEFAULTS.retries),
        })
        .strict()
        .default(() => structuredClone(ACOUSTID_DEFAULTS)),
      musicbrainz: z
        .object({
          enabled: z.boolean().default(MUSICBRAINZ_DEFAULTS.enabled),
          /** A MusicBrainz server's (or mirror's) WS/2 base. */
          url: z.string().url().default(MUSICBRAINZ_DEFAULTS.url),
          /** At most 1 (the service's limit). */
          requestsPerSecond: z.number().positive().max(1).default(MUSICBRAINZ_DEFAULTS.requestsPerSecond),
          retries: z.number().int().min(0).max(8).default(MUSICBRAINZ_DEFAULTS.retries),
          /** An e-mail address or URL for the User-Agent, as MusicBrainz asks of clients. */
          contact: z.string().max(200).default(MUSICBRAINZ_DEFAULTS.contact),
        })
        .strict()
        .default(() => structuredClone(MUSICBRAINZ_DEFAULTS)),
      coverart: z
        .object({
          enabled: z.boolean().default(COVERART_DEFAULTS.enabled),
          /** The Cover Art Archive (or a compatible server). */
          url: z.string().url().default(COVERART_DEFAULTS.url),
        })
        .strict()
        .default(() => structuredClone(COVERART_DEFAULTS)),
    })
    .strict()
    .default(() => structuredClone(IDENTIFY_DEFAULTS));
}

/** config.json's `watch`. */
function watchSchema(z: typeof Zod) {
  return z
    .object({
      /** The app's backend watches the library folders (`sleeve watch` always does). */
      enabled: z.boolean().default(WATCH_DEFAULTS.enabled),
      /** Look for changes every pollSeconds instead of being told by the system (as on NFS and SMB). */
      poll: z.boolean().default(WATCH_DEFAULTS.poll),
      pollSeconds: z.number().int().min(5).max(86_400).default(WATCH_DEFAULTS.pollSeconds),
      /** Quiet time after a file's last change before it is read: a file being copied is not read half-way. */
      settleSeconds: z.number().min(0.2).max(600).default(WATCH_DEFAULTS.settleSeconds),
    })
    .strict()
    .default(() => structuredClone(WATCH_DEFAULTS));
}

/** config.json's `index`. */
function indexSchema(z: typeof Zod) {
  return z
    .object({
      /** An acoustid-index (fpindex) server's address, a replica set's included; unset: the embedded engine. */
      url: z.string().url().optional(),
      /** The index there; default: this library's own, `sleeve-` and the library's id. Sleeve deletes
       *  and recreates only an index it created for this library (when the library has no groups). */
      name: z
        .string()
        .regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, 'letters, digits, _ and -, at most 64')
        .optional(),
      format: z.enum(['msgpack', 'json']).default(INDEX_DEFAULTS.format),
      /** Sent as `Authorization: Bearer TOKEN` (`sleeve index serve --token` beyond loopback). */
      token: z.string().min(1).optional(),
      /** Tries after the first while the server is unreachable or loading (0.5, 1, 2 … 15 s apart). */
      retries: z.number().int().min(0).max(12).default(INDEX_DEFAULTS.retries),
    })
    .strict()
    .default(() => structuredClone(INDEX_DEFAULTS));
}

/** config.json's `mount`. */
function mountSchema(z: typeof Zod) {
  return z
    .object({
      /** How long a request through the mount waits for an original's file system (an open, a stat, a
       *  read) before it fails with EIO: a share whose server is away would hold it for minutes. */
      originalTimeoutSeconds: z.number().min(0.5).max(600).default(MOUNT_DEFAULTS.originalTimeoutSeconds),
      /** A mount serving fewer files builds each file's layout at its first open, on the daemon's thread,
       *  rather than starting a thread to build a listed folder's ahead (app/core/mounted/folder-layouts.ts). */
      buildAheadMinFiles: z
        .number()
        .int()
        .min(0)
        .max(1_000_000_000)
        .default(MOUNT_DEFAULTS.buildAheadMinFiles),
      /** The files whose pages the kernel keeps across opens (a tag scan's reads of a file opened before
       *  then cost no request): past it, those of the files opened least lately are dropped. About 50
       *  bytes of the daemon's memory each; at most 4,194,304, four to a bucket of the binding's table
       *  (fuse/native/kept_pages.c: MAX_BUCKETS), so an open never walks a long chain. */
      keptPagesFiles: z.number().int().min(1).max(4_194_304).default(MOUNT_DEFAULTS.keptPagesFiles),
    })
    .strict()
    .default(() => structuredClone(MOUNT_DEFAULTS));
}

/** config.json's `subsonic`. */
function subsonicSchema(z: typeof Zod) {
  return z
    .object({
      /** Take a password sent as it is (p=, enc:) as well as a token or an API key: some old clients
       *  send nothing else, and it travels in every address a client or proxy logs. */
      passwordLogins: z.boolean().default(SUBSONIC_DEFAULTS.passwordLogins),
      /** The origins (scheme://host[:port]) whose pages may call the server from a browser (web
       *  clients: Feishin's web build, Airsonic-Refix, Aonsoku), or "*" for any: a login travels in
       *  each request's parameters, never in a cookie, so any is the default. */
      corsOrigins: z
        .array(
          z
            .string()
            .refine(isOrigin, 'an origin is "*" or scheme://host[:port], like https://music.example.org')
            .transform((text) => (text === '*' ? text : new URL(text).origin)),
        )
        .max(100)
        .default(() => [...SUBSONIC_DEFAULTS.corsOrigins]),
    })
    .strict()
    .default(() => structuredClone(SUBSONIC_DEFAULTS));
}

/** config.json's schema, built from zod when first needed: zod is a third of a short command's start-up,
 *  and a home without config.json never needs it. */
function buildSchema(z: typeof Zod) {
  return z
    .object({
      scan: z
        .object({
          /** Reader threads; default: one per core. */
          workers: z.number().int().min(1).max(64).optional(),
          /** Also enter folders and files whose names start with a dot. */
          includeHidden: z.boolean().default(SCAN_DEFAULTS.includeHidden),
          /** File or folder names never entered, e.g. ["@eaDir", "Samples"]. */
          ignore: z.array(z.string().min(1)).default(() => [...SCAN_DEFAULTS.ignore]),
        })
        .strict()
        .default(() => structuredClone(SCAN_DEFAULTS)),
      /** Watched library folders: the app's backend and `sleeve watch` follow changes as they happen. */
      watch: watchSchema(z),
      /** Where recording groups are indexed: the embedded engine (the default), or an acoustid-index server. */
      index: indexSchema(z),
      /** Identification's web services: off unless enabled here (nothing leaves the machine by default). */
      identify: identifySchema(z),
      /** Embedded pictures, as a scan and a save through the mount take them in. */
      art: z
        .object({
          /** A picture larger than this is left out, with a reason (a 3000 × 3000 JPEG is ~3 MB). */
          maxBytes: z
            .number()
            .int()
            .min(1024)
            .max(64 * 1024 * 1024)
            .default(ART_DEFAULTS.maxBytes),
        })
        .strict()
        .default(() => structuredClone(ART_DEFAULTS)),
      /** The edit history: a batch past either limit can no longer be undone or redone, and what only it
       *  held (an undone edit, a value or cover a later edit replaced, their pictures) is let go. */
      history: z
        .object({
          batches: z.number().int().min(1).max(1_000_000).default(HISTORY_DEFAULTS.batches),
          days: z.number().int().min(1).max(36_500).default(HISTORY_DEFAULTS.days),
        })
        .strict()
        .default(() => structuredClone(HISTORY_DEFAULTS)),
      /** The mount daemons (read as one starts). */
      mount: mountSchema(z),
      /** The Subsonic server (`sleeve subsonic`, the Mount view's). */
      subsonic: subsonicSchema(z),
    })
    .strict();
}

let schema: ReturnType<typeof buildSchema> | undefined;
const configSchema = () => {
  if (!schema) {
    // zod's ES module, the one every other module imports (require's own condition would load its
    // CommonJS build beside it).
    const esm = fileURLToPath(import.meta.resolve('zod'));
    schema = buildSchema((createRequire(import.meta.url)(esm) as { z: typeof Zod }).z);
  }
  return schema;
};

export type Config = Zod.infer<ReturnType<typeof buildSchema>>;

/** The config of a home without config.json: every default (the config test checks that it is what the
 *  schema makes of an empty config.json), without building the schema. */
function defaultConfig(): Config {
  return structuredClone({
    scan: SCAN_DEFAULTS,
    watch: WATCH_DEFAULTS,
    index: INDEX_DEFAULTS,
    identify: IDENTIFY_DEFAULTS,
    art: ART_DEFAULTS,
    history: HISTORY_DEFAULTS,
    mount: MOUNT_DEFAULTS,
    subsonic: SUBSONIC_DEFAULTS,
  });
}

export class ConfigError extends UserError {
  override name = 'ConfigError';
  constructor(message: string) {
    super('bad_request', message);
  }
}

export function loadConfig(path: string): Config {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return defaultConfig();
    throw new ConfigError(`cannot read ${path}: ${(err as Error).message}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`${path} is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = configSchema().safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const key = issue.path.length > 0 ? issue.path.join('.') : '(top level)';
    const detail =
      issue.code === 'unrecognized_keys'
        ? `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => [...issue.path, k].join('.')).join(', ')}`
        : `${key}: ${issue.message}`;
    throw new ConfigError(`invalid config ${path}: ${detail}`);
  }
  return parsed.data;
}
