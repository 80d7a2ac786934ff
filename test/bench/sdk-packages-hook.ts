/**
 * Preloaded (`node -r`) into a CLI process by bench (e): when the process
 * exits, writes the entry files of the AWS SDK client packages it loaded to
 * the file BENCH_SDK_PACKAGES_FILE names, so the bench can time a fresh
 * `node` that loads just those packages (the start any SDK program making
 * the same calls pays, whoever wrote it).
 */
import { writeFileSync } from 'node:fs';

const out = process.env.BENCH_SDK_PACKAGES_FILE;
if (out)
  process.on('exit', () => {
    const entries = Object.keys(require.cache).filter((file) =>
      /[\\/]node_modules[\\/]@aws-sdk[\\/]client-[a-z0-9-]+[\\/]dist-cjs[\\/]index\.js$/.test(file),
    );
    writeFileSync(out, JSON.stringify(entries));
  });
