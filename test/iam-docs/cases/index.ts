/** Every topic of documented cases, in the order the tests run. */
import type { CaseTopic } from '../case';
import { actions } from './actions';
import { boundaries } from './boundaries';
import { conditions } from './conditions';
import { crossAccount } from './cross-account';
import { evaluation } from './evaluation';
import { kms } from './kms';
import { multivalued } from './multivalued';
import { principals } from './principals';
import { rcps } from './rcps';
import { requestContext } from './request-context';
import { resources } from './resources';
import { roles } from './roles';
import { scps } from './scps';
import { sessionPolicies } from './session-policies';
import { special } from './special';
import { variables } from './variables';

export const allTopics: CaseTopic[] = [
  evaluation,
  crossAccount,
  boundaries,
  sessionPolicies,
  scps,
  rcps,
  actions,
  resources,
  principals,
  conditions,
  multivalued,
  variables,
  roles,
  kms,
  special,
  requestContext,
];
