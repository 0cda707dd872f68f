// What the tag editor says of the selection's front cover: none, on some of its tracks, differing, or
// the one they share with its size and type.
import type { Result } from '../../app/shared/rpc-contract.ts';
import { formatCount } from './format.ts';

export function coverState({ tracks, withFront, front }: Result<'art.summary'>): string {
  if (withFront === 0) return 'No cover';
  // Never one track: a single track's cover is the one they share (art-handlers.ts).
  if (!front) return `Covers differ (${formatCount(withFront, 'track')} have one)`;
  if (withFront < tracks) return `On ${formatCount(withFront, 'track')} of ${tracks}`;
  const type = front.mime.replace('image/', '').toUpperCase();
  return `${front.width ?? '?'}×${front.height ?? '?'} ${type}`;
}
