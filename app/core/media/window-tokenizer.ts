import {
  AbstractTokenizer,
  EndOfStreamError,
  type IRandomAccessFileInfo,
  type IReadChunkOptions,
} from 'strtok3';
import type { ByteWindow } from './file-window.ts';

/** A strtok3 tokenizer over a ByteWindow, so music-metadata reads through the same bounded cache. */
export class WindowTokenizer extends AbstractTokenizer {
  readonly fileInfo: IRandomAccessFileInfo;
  readonly #window: ByteWindow;

  constructor(window: ByteWindow, fileInfo: { path?: string; mimeType?: string }) {
    super();
    this.#window = window;
    this.fileInfo = { ...fileInfo, size: window.size };
  }

  supportsRandomAccess(): boolean {
    return true;
  }

  setPosition(position: number): void {
    this.position = position;
  }

  async readBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const opts = this.normalizeOptions(target, options);
    const n = this.#fill(target, opts.length, opts.position, opts.mayBeLess);
    this.position = opts.position + n;
    return n;
  }

  async peekBuffer(target: Uint8Array, options?: IReadChunkOptions): Promise<number> {
    const opts = this.normalizeOptions(target, options);
    return this.#fill(target, opts.length, opts.position, opts.mayBeLess);
  }

  #fill(target: Uint8Array, length: number, position: number, mayBeLess: boolean | undefined): number {
    const n = this.#window.readInto(target, 0, length, position);
    if (!mayBeLess && n < length) throw new EndOfStreamError();
    return n;
  }
}
