/**
 * The file operations the store uses, behind an interface so tests can make the disk fail
 * (ENOSPC, EIO) at a chosen moment. Node's fs module is the real implementation.
 */
import fs from 'node:fs';

export interface StoreFs {
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  readSync(fd: number, buffer: Buffer, offset: number, length: number, position: number): number;
  writeSync(fd: number, buffer: Buffer, offset: number, length: number, position: number | null): number;
  fdatasyncSync(fd: number): void;
  ftruncateSync(fd: number, len: number): void;
  fstatSync(fd: number): { size: number };
  unlinkSync(path: string): void;
  renameSync(from: string, to: string): void;
  readdirSync(path: string): string[];
  existsSync(path: string): boolean;
  mkdirSync(path: string, options: { recursive: true }): unknown;
  readFileSync(path: string): Buffer;
  write(fd: number, buffer: Buffer, offset: number, length: number, position: number | null,
    cb: (err: NodeJS.ErrnoException | null, written: number) => void): void;
  fdatasync(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  // asynchronous ones for compaction, which keeps its I/O off the event loop
  open(path: string, flags: string, cb: (err: NodeJS.ErrnoException | null, fd: number) => void): void;
  close(fd: number, cb: (err: NodeJS.ErrnoException | null) => void): void;
  readFile(path: string, cb: (err: NodeJS.ErrnoException | null, data: Buffer) => void): void;
  unlink(path: string, cb: (err: NodeJS.ErrnoException | null) => void): void;
}

export const nodeFs: StoreFs = fs as unknown as StoreFs;

/** Writes all of `data` at `position` (null: append), resolving when done. */
export function writeFully(io: StoreFs, fd: number, data: Buffer, position: number | null): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (off: number): void => {
      if (off >= data.length) return resolve();
      io.write(fd, data, off, data.length - off, position === null ? null : position + off, (err, n) => {
        if (err) reject(err);
        else step(off + n);
      });
    };
    step(0);
  });
}

export function datasync(io: StoreFs, fd: number): Promise<void> {
  return new Promise((resolve, reject) => io.fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}

export function openAsync(io: StoreFs, file: string, flags: string): Promise<number> {
  return new Promise((resolve, reject) => io.open(file, flags, (err, fd) => (err ? reject(err) : resolve(fd))));
}

export function closeAsync(io: StoreFs, fd: number): Promise<void> {
  return new Promise((resolve, reject) => io.close(fd, (err) => (err ? reject(err) : resolve())));
}

export function readFileAsync(io: StoreFs, file: string): Promise<Buffer> {
  return new Promise((resolve, reject) => io.readFile(file, (err, data) => (err ? reject(err) : resolve(data))));
}

export function unlinkAsync(io: StoreFs, file: string): Promise<void> {
  return new Promise((resolve, reject) => io.unlink(file, (err) => (err ? reject(err) : resolve())));
}

/** syncDirectory without blocking the event loop. */
export async function syncDirectoryAsync(io: StoreFs, dir: string): Promise<void> {
  const fd = await openAsync(io, dir, 'r');
  try {
    await datasync(io, fd);
  } finally {
    await closeAsync(io, fd);
  }
}

/** Makes a directory entry (a new or renamed file) durable. */
export function syncDirectory(io: StoreFs, dir: string): void {
  const fd = io.openSync(dir, 'r');
  try {
    io.fdatasyncSync(fd);
  } finally {
    io.closeSync(fd);
  }
}
