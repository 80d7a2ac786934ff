/**
 * Which module files a node child process evaluated: a preload (`node -r`) that prints, at exit, every file
 * in require.cache on one marked stderr line. The CLI tests ask it which packages a command loads, and bench
 * (e) which SDK client packages to load in its floor process.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const MARK = 'LOADED-FILES ';

let preload: string | undefined;

/** The preload's path. Written to a temporary folder once per process, so it serves the TypeScript sources and the build alike. */
export function loadedFilesPreload(): string {
  if (!preload) {
    preload = join(mkdtempSync(join(tmpdir(), 'breakfix-loaded-files-')), 'loaded-files.js');
    // The newline first: the mark starts a line even when the process left its last line open.
    writeFileSync(
      preload,
      `process.on('exit', () => process.stderr.write(${JSON.stringify(`\n${MARK}`)} + JSON.stringify(Object.keys(require.cache)) + '\\n'));\n`,
    );
  }
  return preload;
}

/** The files the preload listed in a child's stderr; throws when it listed none (the preload did not run). */
export function loadedFiles(stderr: string): string[] {
  const line = stderr.split('\n').find((l) => l.startsWith(MARK));
  if (line === undefined) throw new Error(`the child printed no ${MARK.trim()} line: ${stderr.slice(-300)}`);
  return JSON.parse(line.slice(MARK.length)) as string[];
}

/** The packages (`name`, `@scope/name`) the files belong to, each once, sorted: the innermost node_modules folder decides. */
export function packagesOf(files: readonly string[]): string[] {
  const names = files.map((f) => /[\\/]node_modules[\\/]((?:@[^\\/]+[\\/])?[^\\/]+)[\\/](?:(?!node_modules[\\/]).)*$/.exec(f)?.[1]);
  return [...new Set(names.filter((n): n is string => Boolean(n)).map((n) => n.replace('\\', '/')))].sort();
}
