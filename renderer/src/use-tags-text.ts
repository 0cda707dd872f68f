// Tags in and out as text for the selection: its export downloaded from a link the backend streams, and a
// spreadsheet's import previewed then saved as that preview (app/server/tags-text-handlers.ts). A preview
// is of the selection it was made for: another selection needs the file chosen again.
import { useEffect, useState } from 'react';
import type { Result, Sort, Target } from '../../app/shared/rpc-contract.ts';
import { formatOfName, type TextFormat } from '../../app/shared/text-formats.ts';
import { useApp } from './app-context.tsx';
import { formatCount } from './format.ts';
import { refusedFile } from './import-file.ts';
import { usePreviewed } from './use-previewed.ts';

export type ImportPreview = Result<'tags.importPlan'>;

export function useTagsExport(target: Target, sort: Sort | null) {
  const { backend, fail } = useApp();
  const [format, setFormat] = useState<TextFormat>('csv');
  const [allFields, setAllFields] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const download = async () => {
    try {
      const link = await backend.client.call('tags.exportLink', { target, sort, format, allFields });
      await backend.download(link.url, link.name);
      setDone(`${formatCount(link.tracks, 'track')} exported as ${link.name}`);
    } catch (err) {
      fail(err);
    }
  };
  return { format, setFormat, allFields, setAllFields, done, download };
}

export function useTagsImport(target: Target, targetKey: string, onSaved: (batchId: number) => void) {
  const { backend, toast, saved } = useApp();
  const { preview, reset, problem, setProblem, busy, ask, save } = usePreviewed<ImportPreview>();
  // biome-ignore lint/correctness/useExhaustiveDependencies: the selection is described by targetKey
  useEffect(reset, [targetKey]);
  const choose = async (file: File | undefined) => {
    reset();
    const refused = file ? refusedFile(file) : null;
    if (!file || refused) return setProblem(refused);
    await ask(async () => {
      // Sent as a file, then read by the backend as `sleeve import` reads one: no message holds it.
      const upload = await backend.upload(file);
      const format = formatOfName(file.name)!;
      return backend.client.call('tags.importPlan', { target, name: file.name, format, upload });
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
      reset();
    });
  return { preview, problem, busy, choose, save: saveImport };
}
