// The transcoding extension: getTranscodeDecision weighs a song against what the client says it plays (its
// direct play profiles, codec limits and bit rate caps, a JSON body) and answers whether it plays as it is
// or as which transcode — the first of the client's transcoding profiles Sleeve can make over HTTP (MP3,
// Vorbis, Opus, AAC in ADTS, FLAC) — with transcodeParams naming it; getTranscodeStream makes that
// transcode (binary.ts), from `offset` seconds. The params are checked again when they come back: a
// client can name only a transcode this server offers.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import type { Db } from '../../core/db/database.ts';
import type { CatalogTrack } from '../../core/library/catalog-groups.ts';
import { formatRow } from '../../shared/format-table.ts';
import type { MediaServices } from '../media.ts';
import { type Fail, OUTPUTS, sendTranscode } from './binary.ts';
import { findMedia } from './browse.ts';
import { ERROR, SubsonicError } from './errors.ts';
import type { Params } from './params.ts';
import type { Fields } from './response.ts';
import type { View } from './view.ts';

const Names = z.array(z.string().max(64)).max(100);
const ClientInfo = z.object({
  name: z.string().max(256),
  platform: z.string().max(256),
  maxAudioBitrate: z.number().int().nonnegative().optional(),
  maxTranscodingAudioBitrate: z.number().int().nonnegative().optional(),
  directPlayProfiles: z
    .array(
      z.object({
        containers: Names,
        audioCodecs: Names,
        protocols: Names,
        maxAudioChannels: z.number().int().positive().optional(),
      }),
    )
    .max(100)
    .default([]),
  transcodingProfiles: z
    .array(
      z.object({
        container: z.string().max(64),
        audioCodec: z.string().max(64),
        protocol: z.string().max(64),
        maxAudioChannels: z.number().int().positive().optional(),
      }),
    )
    .max(100)
    .default([]),
  codecProfiles: z
    .array(
      z.object({
        type: z.string().max(64),
        name: z.string().max(64),
        limitations: z
          .array(
            z.object({
              name: z.string().max(64),
              comparison: z.string().max(64),
              values: z.array(z.string().max(64)).max(100),
              required: z.boolean(),
            }),
          )
          .max(100)
          .default([]),
      }),
    )
    .max(100)
    .default([]),
});
type ClientInfo = z.infer<typeof ClientInfo>;

/** Other names of one container. */
const SAME_CONTAINER: Record<string, string> = {
  m4a: 'mp4',
  oga: 'ogg',
  opus: 'ogg',
  aif: 'aiff',
  wave: 'wav',
};
const containerName = (name: string) => SAME_CONTAINER[name.toLowerCase()] ?? name.toLowerCase();

/** The transcodes Sleeve makes, by the client's container and codec: OUTPUTS' format. */
function madeAs(container: string, codec: string): keyof typeof OUTPUTS | undefined {
  const c = containerName(container);
  const k = codec.toLowerCase();
  if (c === 'mp3' && k === 'mp3') return 'mp3';
  if (c === 'ogg' && k === 'vorbis') return 'ogg';
  if (c === 'ogg' && k === 'opus') return 'opus';
  if ((c === 'aac' || c === 'adts') && k === 'aac') return 'aac';
  if (c === 'flac' && k === 'flac') return 'flac';
  return undefined;
}

function source(t: CatalogTrack): Fields & { container: string; codec: string } {
  const s = formatRow(t.format) ?? { container: t.format ?? 'unknown', codec: 'unknown' };
  const codec = t.format === 'm4a' && t.codec && /alac/i.test(t.codec) ? 'alac' : s.codec;
  return {
    protocol: 'http',
    container: s.container,
    codec,
    audioChannels: t.channels ?? undefined,
    audioBitrate: t.bitrate ?? undefined,
    audioSamplerate: t.sampleRate ?? undefined,
    audioBitdepth: t.bitDepth ?? undefined,
  };
}

/** Whether a codec limitation holds for the source (an unknown value is not held against it). */
function holds(limit: ClientInfo['codecProfiles'][number]['limitations'][number], value: number | undefined) {
  if (value === undefined) return true;
  const values = limit.values.map(Number);
  switch (limit.comparison) {
    case 'Equals':
      return values.includes(value);
    case 'NotEquals':
      return !values.includes(value);
    case 'LessThanEqual':
      return value <= values[0]!;
    case 'GreaterThanEqual':
      return value >= values[0]!;
    default:
      return true;
  }
}

/** Why the source does not play as it is under one direct play profile; undefined when it does. */
function whyNot(
  client: ClientInfo,
  profile: ClientInfo['directPlayProfiles'][number],
  src: ReturnType<typeof source>,
): string | undefined {
  const any = (list: readonly string[], name: string, as = (x: string) => x.toLowerCase()) =>
    list.length === 0 || list.some((x) => as(x) === as(name));
  if (!any(profile.containers, src.container, containerName)) return 'ContainerNotSupported';
  if (!any(profile.audioCodecs, src.codec)) return 'AudioCodecNotSupported';
  if (!any(profile.protocols, 'http')) return 'ProtocolNotSupported';
  const channels = src.audioChannels as number | undefined;
  if (profile.maxAudioChannels !== undefined && channels !== undefined && channels > profile.maxAudioChannels)
    return 'AudioChannelsNotSupported';
  const bitrate = src.audioBitrate as number | undefined;
  if (client.maxAudioBitrate && bitrate !== undefined && bitrate > client.maxAudioBitrate)
    return 'AudioBitrateNotSupported';
  const measures: Record<string, number | undefined> = {
    audioBitrate: bitrate,
    audioChannels: channels,
    audioSamplerate: src.audioSamplerate as number | undefined,
    audioBitdepth: src.audioBitdepth as number | undefined,
  };
  for (const codecProfile of client.codecProfiles) {
    if (codecProfile.name.toLowerCase() !== src.codec) continue;
    for (const limit of codecProfile.limitations)
      if (limit.required && !holds(limit, measures[limit.name]))
        return `${limit.name[0]!.toUpperCase()}${limit.name.slice(1)}NotSupported`;
  }
  return undefined;
}

/** The lossy transcodes' bit rate (bps): the client's cap, else 192 kbps; within 32–320 kbps. */
const lossyBitrate = (client: ClientInfo) =>
  Math.max(32_000, Math.min(320_000, client.maxTranscodingAudioBitrate || 192_000));

export function getTranscodeDecision(view: View, p: Params, json: unknown): Fields {
  const track = findMedia(view, p);
  const parsed = ClientInfo.safeParse(json);
  if (!parsed.success)
    throw new SubsonicError(
      ERROR.generic,
      `the body is no ClientInfo: ${parsed.error.issues[0]?.path.join('.') || 'the body'} ${parsed.error.issues[0]?.message ?? ''}`.trim(),
    );
  const client = parsed.data;
  const src = source(track);
  const reasons = client.directPlayProfiles.map((profile) => whyNot(client, profile, src));
  if (reasons.some((r) => r === undefined))
    return { transcodeDecision: { canDirectPlay: true, canTranscode: false, sourceStream: src } };
  for (const profile of client.transcodingProfiles) {
    const format =
      profile.protocol.toLowerCase() === 'http' ? madeAs(profile.container, profile.audioCodec) : undefined;
    if (!format) continue;
    const channels = Math.min(track.channels ?? 2, profile.maxAudioChannels ?? 8);
    const bitrate = format === 'flac' ? undefined : lossyBitrate(client);
    return {
      transcodeDecision: {
        canDirectPlay: false,
        canTranscode: true,
        transcodeReason: reasons.length > 0 ? reasons : ['NoDirectPlayProfile'],
        transcodeParams: `${format}-${bitrate === undefined ? 0 : bitrate / 1000}-${channels}`,
        sourceStream: src,
        transcodeStream: {
          protocol: 'http',
          container: profile.container,
          codec: profile.audioCodec,
          audioChannels: channels,
          audioBitrate: bitrate,
          audioSamplerate: format === 'opus' ? 48_000 : (track.sampleRate ?? undefined),
        },
      },
    };
  }
  return {
    transcodeDecision: {
      canDirectPlay: false,
      canTranscode: false,
      transcodeReason: reasons.length > 0 ? reasons : ['NoDirectPlayProfile'],
      errorReason:
        'none of the transcoding profiles is one Sleeve makes: MP3, Vorbis or Opus in Ogg, AAC (ADTS) or FLAC, over http',
      sourceStream: src,
    },
  };
}

const PARAMS = /^(mp3|ogg|opus|aac|flac)-(\d{1,3})-([1-8])$/;

export async function getTranscodeStream(
  db: Db,
  media: MediaServices,
  view: View,
  p: Params,
  req: IncomingMessage,
  res: ServerResponse,
  fail: Fail,
): Promise<void> {
  const track = findMedia(view, p);
  const m = PARAMS.exec(p.required('transcodeParams'));
  const kbps = Number(m?.[2]);
  if (!m || (m[1] !== 'flac' && (kbps < 32 || kbps > 320)))
    throw new SubsonicError(ERROR.generic, 'transcodeParams are not ones getTranscodeDecision gave');
  const format = m[1] as keyof typeof OUTPUTS;
  const base = OUTPUTS[format](kbps);
  const output = { ...base, args: ['-ac', m[3]!, ...base.args] };
  const startS = p.decimal('offset', 0, 24 * 3600) ?? 0;
  await sendTranscode(db, media, track, { format, output, startS }, req, res, fail);
}
