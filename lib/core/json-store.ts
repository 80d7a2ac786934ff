/**
 * A small keyed JSON file: `{ version, labs: { key: entry } }`, read whole and
 * replaced atomically (write a temporary file, then rename), so a concurrent
 * reader sees the old file or the new one, never half of one. breakfix's lab
 * record and its progress store both keep their entries this way; a file that
 * is missing or unreadable reads as empty.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
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

  all(): Record<string, T> {
    const file = this.file();
    if (!existsSync(file)) return {};
    try {
      const parsed = JSON.parse(readFileSync(file, 'utf8')) as Shape<T>;
      return parsed && typeof parsed.labs === 'object' && parsed.labs ? parsed.labs : {};
    } catch {
      return {};
    }
  }

  get(key: string): T | undefined {
    return this.all()[key];
  }

  /** Replaces one entry with what `change` returns (undefined removes it); returns the new entry. */
  update(key: string, change: (current: T | undefined) => T | undefined): T | undefined {
    const labs = this.all();
    const next = change(labs[key]);
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
