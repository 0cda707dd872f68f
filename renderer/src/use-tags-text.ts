// Tags in and out as text for the selection: its export downloaded from a link the backend streams, and a
// spreadsheet's import previewed then saved as that preview (app/server/tags-text-handlers.ts). A preview
// is of the selection it was made for: another selection needs the file chosen again.
import { useEffect, useState } from 'react';
import { MAX_IMPORT_TEXT, type Result, type Sort, type Target } from '../../app/shared/rpc-contract.ts';
import { useApp } from './app-context.tsx';
import { formatCount } from './format.ts';
import { usePreviewed } from './use-previewed.ts';

export type TextFormat = 'csv' | 'tsv' | 'json';
export type ImportPreview = Result<'tags.importPlan'>;

/** A file's format by its name's ending, as `sleeve import` reads it; undefined for another. */
export function formatOfName(name: string): TextFormat | undefined {
  const ending = name.toLowerCase().split('.').pop();
  return ending === 'csv' || ending === 'tsv' || ending === 'json' ? ending : undefined;
}

/** Why the app does not send `file` to import, if it does not. */
export function refusedFile(file: { name: string; size: number }): string | null {
  if (!formatOfName(file.name)) return `${file.name}: choose a .csv, .tsv or .json file`;
  if (file.size > MAX_IMPORT_TEXT)
    return `${file.name} is ${(file.size / 1024 / 1024).toFixed(1)} MiB: the app imports files up to ${MAX_IMPORT_TEXT / 1024 / 1024} MiB (sleeve import takes larger ones)`;
  return null;
}

export function useTagsExport(target: Target, sort: Sort | null) {
  const { backend, fail } = useApp();
  const [format, setFormat] = useState<TextFormat>('csv');
  const [allFields, setAllFields] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const download = async () => {
    try {
      const link = await backend.client.call('tags.exportLink', { target, sort, format, allFields });
      const a = document.createElement('a');
      a.href = backend.downloadUrl(link.url);
      a.download = link.name;
      a.click();
      setDone(`${formatCount(link.tracks, 'track')} exported as ${link.name}`);
    } catch (err) {
      fail(err);
    }
  };
  return { format, setFormat, allFields, setAllFields, done, download };
}

export function useTagsImport(target: Target, targetKey: string, onSaved: (batchId: number) => void) {
  const { backend, toast, saved } = useApp();
  const { preview, setPreview, problem, setProblem, busy, ask, save } = usePreviewed<ImportPreview>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is described by targetKey
  useEffect(() => setPreview(null), [targetKey]);
  const choose = async (file: File | undefined) => {
    setPreview(null);
    const refused = file ? refusedFile(file) : null;
    if (!file || refused) return setProblem(refused);
    await ask(async () => {
      const text = await file.text();
      const format = formatOfName(file.name)!;
      return backend.client.call('tags.importPlan', { target, name: file.name, format, text });
    });
  };
  const saveImport = () =>
    save(async (token) => {
      const r = await backend.client.call('tags.importApply', { preview: token });
      if (r.batch) saved(r.batch.description, r.batch.id, onSaved);
      if (r.conflicts > 0)
        toast(
          'info',
          `${formatCount(r.conflicts, 'conflict')} kept: the Mount view lists them, to take or leave`,
        );
      setPreview(null);
    });
  return { preview, problem, busy, choose, save: saveImport };
}
