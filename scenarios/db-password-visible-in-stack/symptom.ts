import type { ScenarioContext, Symptom } from '../../lib/scenario/types';
import { exposuresIn, gatherOrders } from './gather';

/** What the security review saw: every place AWS shows the exposed password, read live (the same reads on every target). */
export async function ordersSymptom(ctx: ScenarioContext): Promise<Symptom> {
  const s = await gatherOrders(ctx);
  const places = exposuresIn(
    [
      ...s.parameters,
      s.template,
      ...s.outputs,
      ...Object.entries(s.app.environment).map(([k, v]) => ({ where: `environment variable ${k} of function ${s.app.name}`, text: v })),
      ...s.tags,
      ...s.plainParameters,
    ],
    s.passwords,
  );
  return {
    source: 'authentic',
    summary:
      places.length > 0
        ? `The orders database password can be read in ${places.length} place(s) of stack ${s.stackName} and its function.`
        : `The orders database password is not readable in the stack's parameters, template, outputs, tags or the function's environment.`,
    details: places,
  };
}
