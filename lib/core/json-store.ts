/**
 * A small keyed JSON file: `{ version, labs: { key: entry } }`, read whole and
 * replaced atomically (write a temporary file, then rename), so a concurrent
 * reader sees the old file or the new one, never half of one. breakfix's lab
 * record and its progress store both keep their entries this way; a file that
 * is missing or unreadable reads as empty.
 */
import { mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

type Shape<T> = { version: number; labs: Record<string, T> };

export class JsonStore<T> {
  /** `file` is a function: BREAKFIX_HOME may change between calls (tests, `--home`). */
  constructor(
    private readonly file: () => string,
    private readonly version = 1,
  ) {}

  get path(): string {
    return this.file();
  }

  /**
   * The file as last parsed, with the identity of the version parsed (inode, size and change time in
   * nanoseconds): a class round asks for one lab's entry per cell, and reading and parsing the whole
   * file each time made a round quadratic in labs. Every replace (here or by another process) renames a
   * new file into place, which changes that identity, so a changed file is always read again.
   */
  private parsed?: { readonly file: string; readonly version: string; readonly labs: Readonly<Record<string, T>> };

  /** Every entry; a read-only view shared by callers until the file changes. */
  all(): Readonly<Record<string, T>> {
    const file = this.file();
    const stat = statSync(file, { bigint: true, throwIfNoEntry: false });
    if (!stat) return {};
    const version = `${stat.ino}:${stat.size}:${stat.ctimeNs}:${stat.mtimeNs}`;
    if (this.parsed?.file === file && this.parsed.version === version) return this.parsed.labs;
    let labs: Record<string, T> = {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Shape<T>;
      labs = parsed && typeof parsed.labs === 'object' && parsed.labs ? parsed.labs : {};
    } catch {
      labs = {};
    }
    this.parsed = { file, version, labs };
    return labs;
  }

  /** One entry, a copy of its own: callers may change it without touching the parsed file. */
  get(key: string): T | undefined {
    const entry = this.all()[key];
    return entry === undefined ? undefined : structuredClone(entry);
  }

  /** Replaces one entry with what `change` returns (undefined removes it); returns the new entry. */
  update(key: string, change: (current: T | undefined) => T | undefined): T | undefined {
    const labs = { ...this.all() };
    const next = change(labs[key] === undefined ? undefined : structuredClone(labs[key]));
    if (next === undefined) delete labs[key];
    else labs[key] = next;
    this.write(labs);
    return next;
  }

  private write(labs: Record<string, T>): void {
    const file = this.file();
    if (Object.keys(labs).length === 0) {
      rmSync(file, { force: true });
      return;
    }
    mkdirSync(dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify({ version: this.version, labs } satisfies Shape<T>, null, 2));
    renameSync(tmp, file); // atomic replace: concurrent readers never see half a file
  }
}
