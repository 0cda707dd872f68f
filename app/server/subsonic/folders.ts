// Browsing by folder under a path template other than the default: the folders the template makes of the
// served tracks (each track's folder rendered by the catalog, catalog.ts), so a phone browsing by folder
// and the mount started with the same template show one tree. Made once per catalog generation, when a
// client first browses.
import type { CatalogGroups, CatalogTrack } from '../../core/library/catalog-groups.ts';
import { compareNames } from '../../core/library/catalog-groups.ts';
import { folderId, MUSIC_FOLDER, trackId } from './ids.ts';
import type { Child } from './opensubsonic-types.ts';

/** The music folder's id, the parent of the template's top folders. */
const TOP_ID = String(MUSIC_FOLDER.id);

export interface TemplateFolder {
  readonly id: string;
  readonly name: string;
  /** The id of the folder it is in; undefined for the music folder itself. */
  readonly parent: string | undefined;
  readonly folders: TemplateFolder[];
  /** Its tracks, by file name. */
  readonly songs: CatalogTrack[];
}

export interface FolderTree {
  /** The music folder: the template's top folders, and tracks the template files at the top. */
  readonly top: TemplateFolder;
  readonly byId: ReadonlyMap<string, TemplateFolder>;
}

const trees = new WeakMap<CatalogGroups, FolderTree>();

/** The tree of the groups' tracks' folders (made once per generation). */
export function folderTree(groups: CatalogGroups): FolderTree {
  let tree = trees.get(groups);
  if (!tree) {
    tree = build(groups.tracks);
    trees.set(groups, tree);
  }
  return tree;
}

function build(tracks: readonly CatalogTrack[]): FolderTree {
  const top: TemplateFolder = { id: TOP_ID, name: '', parent: undefined, folders: [], songs: [] };
  const byPath = new Map<string, TemplateFolder>([['', top]]);
  const byId = new Map<string, TemplateFolder>();
  const at = (path: string): TemplateFolder => {
    const known = byPath.get(path);
    if (known) return known;
    const cut = path.lastIndexOf('/');
    const parent = at(cut < 0 ? '' : path.slice(0, cut));
    const folder: TemplateFolder = {
      id: folderId(path),
      name: path.slice(cut + 1),
      parent: parent.id,
      folders: [],
      songs: [],
    };
    parent.folders.push(folder);
    byPath.set(path, folder);
    byId.set(folder.id, folder);
    return folder;
  };
  for (const t of tracks) at(t.folder ?? '').songs.push(t);
  for (const folder of byPath.values()) {
    folder.folders.sort((a, b) => compareNames(a.name, b.name));
    folder.songs.sort((a, b) => compareNames(a.fileName ?? '', b.fileName ?? ''));
  }
  return { top, byId };
}

/** A folder as a Child of its parent (isDir); its cover, its first track's that has one. */
export function folderChild(folder: TemplateFolder): Child {
  const art = folder.songs.find((t) => t.hasArt);
  return {
    id: folder.id,
    parent: folder.parent,
    isDir: true,
    title: folder.name,
    coverArt: art && trackId(art.id),
  };
}

/** A track's folder id and path under the template, when the catalog rendered them. */
export function templatePlace(t: CatalogTrack): { parent: string; path: string } | undefined {
  if (t.folder === undefined || t.fileName === undefined) return undefined;
  return t.folder === ''
    ? { parent: TOP_ID, path: t.fileName }
    : { parent: folderId(t.folder), path: `${t.folder}/${t.fileName}` };
}
