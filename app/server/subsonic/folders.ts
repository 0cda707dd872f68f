// Browsing by folder under a path template other than the default: the folders the template makes of the
// served tracks (each track's folder rendered by the catalog, catalog.ts), so a phone browsing by folder
// and the mount started with the same template show one tree. Made when a client first browses; after a
// patch of the catalog (an edit), only the folders of the albums it remade are copied and changed, so the
// next browse after an edit costs what the edit touched, not the library.
import type { CatalogGroups, CatalogTrack } from '../../core/library/catalog-groups.ts';
import { compareNames } from '../../core/library/catalog-groups.ts';
import { folderId, MUSIC_FOLDER, trackId } from './ids.ts';
import type { Child } from './opensubsonic-types.ts';

/** The music folder's id, the parent of the template's top folders. */
const TOP_ID = String(MUSIC_FOLDER.id);

export interface TemplateFolder {
  readonly id: string;
  readonly name: string;
  /** Its path under the template ('' for the music folder). */
  readonly path: string;
  /** The id of the folder it is in; undefined for the music folder itself. */
  readonly parent: string | undefined;
  readonly folders: readonly TemplateFolder[];
  /** Its tracks, by file name. */
  readonly songs: readonly CatalogTrack[];
}

export interface FolderTree {
  /** The music folder: the template's top folders, and tracks the template files at the top. */
  readonly top: TemplateFolder;
  readonly byId: ReadonlyMap<string, TemplateFolder>;
  readonly byPath: ReadonlyMap<string, TemplateFolder>;
}

/** A tree and the albums it was made of (not the whole groups, whose maps of every track would be kept
 *  alive): what the next generation's tree is patched from. */
export interface MadeTree {
  readonly generation: number;
  readonly albums: CatalogGroups['albums'];
  readonly tree: FolderTree;
}

/** Past this share of the library changed (a whole regrouping), the tree is made anew. */
const PATCH_SHARE = 0.25;

/** The tree of `groups`' tracks' folders: `prev`'s, patched where the albums changed, or made anew. */
export function folderTree(groups: CatalogGroups, prev: MadeTree | undefined): FolderTree {
  if (!prev) return build(groups.tracks);
  if (prev.generation === groups.generation) return prev.tree;
  const gone: CatalogTrack[] = [];
  const come: CatalogTrack[] = [];
  // patchGroups keeps every album it did not remake as the same object: the others hold what moved.
  for (const [key, album] of prev.albums) if (groups.albums.get(key) !== album) gone.push(...album.tracks);
  for (const [key, album] of groups.albums) if (prev.albums.get(key) !== album) come.push(...album.tracks);
  // albumOf's size is the served tracks' count, without making the list of them (catalog-groups.ts).
  if (gone.length + come.length > groups.albumOf.size * PATCH_SHARE) return build(groups.tracks);
  return patch(prev.tree, gone, come);
}

interface Draft {
  id: string;
  name: string;
  path: string;
  parent: string | undefined;
  folders: TemplateFolder[];
  songs: CatalogTrack[];
}

const parentPath = (path: string): string => {
  const cut = path.lastIndexOf('/');
  return cut < 0 ? '' : path.slice(0, cut);
};

/** Folders copied before they change, so an answer being made from the previous tree is not disturbed. */
class TreeDraft {
  readonly byPath: Map<string, TemplateFolder>;
  readonly byId: Map<string, TemplateFolder>;
  /** The folders copied (or made) in this draft, by path. */
  readonly #own = new Map<string, Draft>();

  constructor(prev?: FolderTree) {
    this.byPath = new Map(prev?.byPath);
    this.byId = new Map(prev?.byId);
  }

  /** The draft's own copy of the folder at `path` (made, with its parents, if none is there). */
  own(path: string): Draft {
    const mine = this.#own.get(path);
    if (mine) return mine;
    const old = this.byPath.get(path);
    const parent = path === '' ? undefined : this.own(parentPath(path));
    const folder: Draft = old
      ? { ...old, folders: [...old.folders], songs: [...old.songs] }
      : {
          id: path === '' ? TOP_ID : folderId(path),
          name: path.slice(path.lastIndexOf('/') + 1),
          path,
          parent: parent?.id,
          folders: [],
          songs: [],
        };
    if (parent) {
      const at = old ? parent.folders.indexOf(old) : -1;
      if (at >= 0) parent.folders[at] = folder;
      else parent.folders.push(folder);
    }
    this.#own.set(path, folder);
    this.byPath.set(path, folder);
    if (path !== '') this.byId.set(folder.id, folder);
    return folder;
  }

  /** Sorted, and the folders left empty taken out (deepest first, so their parents can empty too). */
  finish(): FolderTree {
    const depth = (folder: Draft) => (folder.path === '' ? 0 : folder.path.split('/').length);
    const deepestFirst = [...this.#own.values()]
      .map((folder) => ({ folder, depth: depth(folder) }))
      .sort((a, b) => b.depth - a.depth);
    for (const { folder } of deepestFirst) {
      if (folder.path === '' || folder.folders.length > 0 || folder.songs.length > 0) continue;
      const parent = this.own(parentPath(folder.path));
      parent.folders.splice(parent.folders.indexOf(folder), 1);
      this.byPath.delete(folder.path);
      this.byId.delete(folder.id);
    }
    for (const folder of this.#own.values()) {
      folder.folders.sort((a, b) => compareNames(a.name, b.name));
      folder.songs.sort((a, b) => compareNames(a.fileName ?? '', b.fileName ?? ''));
    }
    return { top: this.byPath.get('')!, byId: this.byId, byPath: this.byPath };
  }
}

function build(tracks: readonly CatalogTrack[]): FolderTree {
  const draft = new TreeDraft();
  draft.own('');
  for (const t of tracks) draft.own(t.folder ?? '').songs.push(t);
  return draft.finish();
}

function patch(prev: FolderTree, gone: readonly CatalogTrack[], come: readonly CatalogTrack[]): FolderTree {
  const draft = new TreeDraft(prev);
  const goneByFolder = new Map<string, Set<number>>();
  for (const t of gone) {
    const path = t.folder ?? '';
    const ids = goneByFolder.get(path);
    if (ids) ids.add(t.id);
    else goneByFolder.set(path, new Set([t.id]));
  }
  for (const [path, ids] of goneByFolder) {
    const folder = draft.own(path);
    folder.songs = folder.songs.filter((t) => !ids.has(t.id));
  }
  for (const t of come) draft.own(t.folder ?? '').songs.push(t);
  return draft.finish();
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
