/** Where a command writes. Commands never touch process.stdout directly, so tests can capture them. */
export interface Io {
  out(text: string): void;
  err(text: string): void;
  readonly color: boolean;
  /** True when a person can answer a prompt on stdin. */
  readonly interactive: boolean;
  /** Asks a yes/no question on stderr; false when not interactive. */
  confirm(question: string): Promise<boolean>;
}

export function processIo(): Io {
  const color = Boolean(process.stdout.isTTY) && !process.env.NO_COLOR;
  const interactive = Boolean(process.stdin.isTTY) && Boolean(process.stderr.isTTY);
  return {
    out: (t) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    err: (t) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    color,
    interactive,
    confirm: async (question) => {
      if (!interactive) return false;
      const { createInterface } = await import('node:readline/promises');
      const rl = createInterface({ input: process.stdin, output: process.stderr });
      try {
        const answer = await rl.question(`${question} [y/N] `);
        return /^y(es)?$/i.test(answer.trim());
      } finally {
        rl.close();
      }
    },
  };
}

const codes = { red: [31, 39], green: [32, 39], yellow: [33, 39], dim: [2, 22], bold: [1, 22], cyan: [36, 39] } as const;
export type Style = keyof typeof codes;

export function paint(io: Pick<Io, 'color'>, style: Style, text: string): string {
  if (!io.color) return text;
  const [open, close] = codes[style];
  return `\u001b[${open}m${text}\u001b[${close}m`;
}
