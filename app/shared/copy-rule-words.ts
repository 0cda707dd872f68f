// A copy rule in words (app/core/library/copy-rules.ts), as `dup` and the app say why a copy is kept and
// list the rules: "copies in /music/lossless first", "FLAC copies first", "the copy the library had first".
import { formatName } from './format-names.ts';

export function copyRuleWords(rule: string): string {
  if (rule === 'first') return 'the copy the library had first';
  const [kind, ...rest] = rule.split(':');
  const value = rest.join(':');
  return kind === 'folder' ? `copies in ${value} first` : `${formatName(value)} copies first`;
}
