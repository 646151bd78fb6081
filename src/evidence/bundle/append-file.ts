/**
 * An append-only bundle file whose sha256 is kept up to date as it grows, so a checkpoint can
 * seal a large file without reading it back.
 */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';

/** sha256 and size of a file's bytes as sealed. */
export interface Digest {
  sha256: string;
  bytes: number;
}

/** A file opened for appending, with a running digest of everything written so far. */
export class AppendFile {
  private constructor(
    private readonly handle: FileHandle,
    private hash: Hash,
    private size: number,
  ) {}

  /** Creates (or empties) `path`. */
  static async create(path: string): Promise<AppendFile> {
    return new AppendFile(await open(path, 'w+'), createHash('sha256'), 0);
  }

  /**
   * Reopens a file to continue it: cuts it back to `bytes` (whatever a crash left after the last
   * checkpoint) and re-derives the digest of what stays.
   */
  static async reopen(path: string, bytes: number): Promise<AppendFile> {
    const handle = await open(path, 'r+');
    await handle.truncate(bytes);
    const hash = createHash('sha256');
    if (bytes > 0) for await (const chunk of createReadStream(path, { end: bytes - 1 })) hash.update(chunk as Buffer);
    return new AppendFile(handle, hash, bytes);
  }

  /** Bytes written so far. */
  get length(): number {
    return this.size;
  }

  /** Appends bytes at the end. */
  async append(bytes: Uint8Array): Promise<void> {
    if (bytes.length === 0) return;
    await this.handle.write(bytes, 0, bytes.length, this.size);
    this.hash.update(bytes);
    this.size += bytes.length;
  }

  /** The digest of the file as it is, followed by `tail` (which is written too, after the current end, but not kept in the running hash). */
  async sealWith(tail: Uint8Array): Promise<Digest> {
    if (tail.length > 0) {
      await this.handle.write(tail, 0, tail.length, this.size);
      await this.handle.truncate(this.size + tail.length);
    }
    await this.handle.sync();
    return { sha256: this.hash.copy().update(tail).digest('hex'), bytes: this.size + tail.length };
  }

  /** Closes the file handle. */
  async close(): Promise<void> {
    await this.handle.close();
  }
}
