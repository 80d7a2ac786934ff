import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/**
 * `scenarios/<id>/spoilers.json`: per variant, the cause (what the variant
 * breaks, for instructors) and the words that give it away. `deploy` and
 * `status` must print none of them, nor any variant ID, for any variant
 * (test/cli/spoilers.test.ts); `list --explain` shows the causes.
 */
export const spoilersSchema = z
  .object({
    $comment: z.string().optional(),
    variants: z.record(
      z.object({
        cause: z.string().min(1),
        forbidden: z.array(z.string().min(3)).min(1),
      }),
    ),
  })
  .strict();

export type Spoilers = z.infer<typeof spoilersSchema>;

export const SPOILERS_FILE = 'spoilers.json';

export function readSpoilers(scenarioDir: string): Spoilers {
  const file = join(scenarioDir, SPOILERS_FILE);
  const parsed = spoilersSchema.safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success)
    throw new Error(`${file} is not valid: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data;
}

/** Every phrase that must not reach a learner before they ask, for any variant of the scenario: causes, forbidden words, variant IDs. */
export function forbiddenPhrases(spoilers: Spoilers): { phrases: string[]; variantIds: string[] } {
  const phrases = Object.values(spoilers.variants).flatMap((v) => [v.cause, ...v.forbidden]);
  return { phrases, variantIds: Object.keys(spoilers.variants) };
}

/** The spoilers found in a text, one entry each; empty when it gives nothing away. */
export function spoilersIn(text: string, spoilers: Spoilers): string[] {
  const { phrases, variantIds } = forbiddenPhrases(spoilers);
  const lower = text.toLowerCase();
  const found = phrases.filter((p) => lower.includes(p.toLowerCase()));
  // IDs are kebab-case words: match them whole, so `scp` does not match inside another word.
  for (const id of variantIds) if (new RegExp(`(^|[^a-z0-9-])${id}([^a-z0-9-]|$)`, 'i').test(text)) found.push(`variant ${id}`);
  return found;
}
