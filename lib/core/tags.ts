/** Tags every breakfix stack (and, through CDK, its resources) carries; at the bottom so sweeps and listings can read them too. */
export const TAG_MANAGED = 'breakfix:managed';
export const TAG_SCENARIO = 'breakfix:scenario';
export const TAG_LEARNER = 'breakfix:learner';
export const TAG_VARIANT = 'breakfix:variant';
