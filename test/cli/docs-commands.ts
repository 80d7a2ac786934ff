/**
 * The shell commands a document tells a learner to run: the ```bash blocks
 * under one `## ` heading, as written. Blocks fenced as ```text are for
 * reading (placeholders such as <bucket>) and are left out on purpose.
 */
import { readFileSync } from 'node:fs';

/** The ```bash blocks of the section whose `## ` heading is `heading`, split into commands (a trailing backslash continues one). */
export function sectionCommands(markdownFile: string, heading: string): string[] {
  const lines = readFileSync(markdownFile, 'utf8').split('\n');
  const start = lines.findIndex((l) => l.trim() === `## ${heading}`);
  if (start < 0) throw new Error(`${markdownFile} has no "## ${heading}" section.`);
  const commands: string[] = [];
  let inBash = false;
  let pending = '';
  for (const line of lines.slice(start + 1)) {
    if (!inBash && /^## /.test(line)) break;
    if (/^```/.test(line)) {
      inBash = !inBash && /^```(bash|sh)\s*$/.test(line);
      continue;
    }
    if (!inBash) continue;
    const joined = pending + line;
    if (/\\\s*$/.test(line)) {
      pending = `${joined}\n`;
      continue;
    }
    pending = '';
    if (joined.trim() === '' || /^\s*#/.test(joined)) continue;
    commands.push(joined);
  }
  if (commands.length === 0) throw new Error(`The "## ${heading}" section of ${markdownFile} has no \`\`\`bash commands.`);
  return commands;
}

/** The marker line a wrapped command prints (on stderr) with its exit code. */
export const RC_MARK = '__breakfix_doc_rc__';

/**
 * A bash script that runs each command verbatim, in order, in one shell, and
 * reports each exit code on stderr; a failing command does not stop the rest.
 */
export function scriptFor(commands: readonly string[]): string {
  return commands.map((c, i) => `echo "${RC_MARK} ${i}"\n${c}\necho "${RC_MARK} ${i} $?" >&2`).join('\n');
}

/** Each command's stdout, by command index. */
export function outputs(stdout: string): string[] {
  const parts: string[] = [];
  let current = -1;
  for (const line of stdout.split('\n')) {
    const m = new RegExp(`^${RC_MARK} (\\d+)$`).exec(line);
    if (m) {
      current = Number(m[1]);
      parts[current] = '';
    } else if (current >= 0) parts[current] += `${line}\n`;
  }
  return parts;
}

/** Exit codes by command index, from a script's stderr. */
export function exitCodes(stderr: string): number[] {
  const codes: number[] = [];
  for (const m of stderr.matchAll(new RegExp(`^${RC_MARK} (\\d+) (\\d+)$`, 'gm'))) codes[Number(m[1])] = Number(m[2]);
  return codes;
}
