import { z } from 'zod';

const fidelity = z.enum(['authentic', 'derived', 'unsupported']);

export const scenarioMetaSchema = z.object({
  id: z.string().regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'scenario IDs are kebab-case'),
  title: z.string().min(1),
  /** What the learner sees, in a few words (the README matrix's "What you see"). */
  symptom: z.string().min(1),
  summary: z.string().min(1),
  services: z.array(z.string()).min(1),
  difficulty: z.enum(['beginner', 'intermediate', 'advanced']),
  guide: z.string().min(1),
  targets: z.object({ moto: fidelity, floci: fidelity, localstack: fidelity, aws: fidelity }),
  /** What each target shows, in one sentence, for the scenario x target matrix. */
  targetNotes: z.record(z.string()).default({}),
  variants: z
    .array(
      z.object({
        id: z.string().regex(/^[a-z0-9-]+$/),
        title: z.string(),
        targets: z.array(z.enum(['moto', 'floci', 'localstack', 'aws'])).optional(),
      }),
    )
    .min(1),
  hints: z.array(z.object({ level: z.number().int().positive(), cost: z.number().int().nonnegative() })).min(3),
  solutionCost: z.number().int().nonnegative().default(100),
  /**
   * What grading this scenario reads, for the read-only grader policy: the IAM
   * actions behind its checker's SDK calls (beyond cloudformation:DescribeStacks,
   * which class grading itself sends), and any SDK signing name or operation
   * whose IAM name breakfix does not already know.
   */
  grader: z
    .object({
      actions: z.array(z.string().regex(/^[a-z0-9-]+:[A-Za-z0-9]+$/, 'IAM actions look like service:Action')),
      iamPrefixes: z.record(z.string()).default({}),
      renamedActions: z.record(z.string().nullable()).default({}),
    })
    .strict(),
  costPerHourUsd: z
    .object({
      total: z.number().nonnegative(),
      items: z.array(z.object({ item: z.string(), usdPerHour: z.number().nonnegative() })),
      assumptions: z.string(),
    })
    .optional(),
});

export type ScenarioMeta = z.infer<typeof scenarioMetaSchema>;
