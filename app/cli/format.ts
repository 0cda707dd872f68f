// Human-readable values for CLI output.
import { basename, extname } from 'node:path';
import type { FileItem } from '../core/library/list.ts';
import type { Template } from '../shared/template.ts';

export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '';
  const s = Math.round(seconds);
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${sec}` : `${m}:${sec}`;
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let v = bytes;
  let u = 0;
  while (v >= 1000 && u < units.length - 1) {
    v /= 1000;
    u++;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}

/** Renders a file with `-f` template syntax: tags by name, plus file properties. */
export function formatItem(template: Template, item: FileItem): string {
  return template.render((field) => {
    switch (field) {
      case 'id':
        return String(item.id);
      case 'path':
        return item.path;
      case 'format':
        return item.format;
      case 'codec':
        return item.codec;
      case 'duration':
        return formatDuration(item.duration);
      case 'bitrate':
        return item.bitrate === null ? null : `${Math.round(item.bitrate / 1000)}kbps`;
      case 'samplerate':
        return item.sampleRate === null ? null : String(item.sampleRate);
      case 'status':
        return item.status;
      case 'error':
        return item.error;
      case 'title':
        return item.tags.title ?? basename(item.path, extname(item.path));
      case 'year':
        return item.tags.date?.[0]?.slice(0, 4);
      default:
        return item.tags[field] ?? item.tags[field.toLowerCase()];
    }
  });
}

export function itemJson(item: FileItem): object {
  return {
    id: item.id,
    path: item.path,
    format: item.format,
    codec: item.codec,
    duration: item.duration,
    bitrate: item.bitrate,
    sampleRate: item.sampleRate,
    status: item.status,
    ...(item.error === null ? {} : { error: item.error }),
    tags: item.tags,
  };
}

/** A field's values as a diff line shows them: quoted (escapes visible), or "(none)". */
export function valuesText(values: readonly string[]): string {
  return values.length === 0 ? '(none)' : values.map((x) => JSON.stringify(x)).join(', ');
}
