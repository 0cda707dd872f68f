// The part of fuse-native 2.2's API Sleeve uses (the package ships no types). Errors are negative errnos.
declare module 'fuse-native' {
  type Done = (err: number) => void;
  export interface Stat {
    mode: number;
    uid: number;
    gid: number;
    size: number;
    nlink: number;
    ino: number;
    mtime: Date;
    atime: Date;
    ctime: Date;
    blksize?: number;
    blocks?: number;
  }
  export interface StatFs {
    bsize: number;
    frsize: number;
    blocks: number;
    bfree: number;
    bavail: number;
    files: number;
    ffree: number;
    favail: number;
    fsid: number;
    flag: number;
    namemax: number;
  }
  export interface Operations {
    init?(cb: Done): void;
    statfs?(path: string, cb: (err: number, stat?: StatFs) => void): void;
    getattr?(path: string, cb: (err: number, stat?: Stat) => void): void;
    fgetattr?(path: string, fd: number, cb: (err: number, stat?: Stat) => void): void;
    access?(path: string, mode: number, cb: Done): void;
    readdir?(path: string, cb: (err: number, names?: string[]) => void): void;
    open?(path: string, flags: number, cb: (err: number, fd?: number) => void): void;
    read?(path: string, fd: number, buf: Buffer, len: number, pos: number, cb: (bytes: number) => void): void;
    write?(
      path: string,
      fd: number,
      buf: Buffer,
      len: number,
      pos: number,
      cb: (bytes: number) => void,
    ): void;
    flush?(path: string, fd: number, cb: Done): void;
    fsync?(path: string, datasync: boolean, fd: number, cb: Done): void;
    release?(path: string, fd: number, cb: Done): void;
    truncate?(path: string, size: number, cb: Done): void;
    ftruncate?(path: string, fd: number, size: number, cb: Done): void;
    utimens?(path: string, atime: Date, mtime: Date, cb: Done): void;
    chmod?(path: string, mode: number, cb: Done): void;
    chown?(path: string, uid: number, gid: number, cb: Done): void;
    create?(path: string, mode: number, cb: (err: number, fd?: number) => void): void;
    mknod?(path: string, mode: number, dev: number, cb: Done): void;
    unlink?(path: string, cb: Done): void;
    rename?(src: string, dest: string, cb: Done): void;
    link?(src: string, dest: string, cb: Done): void;
    symlink?(src: string, dest: string, cb: Done): void;
    mkdir?(path: string, mode: number, cb: Done): void;
    rmdir?(path: string, cb: Done): void;
  }
  export interface Options {
    autoUnmount?: boolean;
    mkdir?: boolean;
    force?: boolean;
    fsname?: string;
    subtype?: string;
    autoCache?: boolean;
    attrTimeout?: number | string;
    entryTimeout?: number | string;
    timeout?: number | false;
    debug?: boolean;
  }
  export default class Fuse {
    constructor(mountpoint: string, ops: Operations, options?: Options);
    mount(cb: (err: Error | null) => void): void;
    unmount(cb: (err: Error | null) => void): void;
    static unmount(mountpoint: string, cb: (err: Error | null) => void): void;
  }
}
