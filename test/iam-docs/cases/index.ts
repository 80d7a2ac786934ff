/** Every topic of documented cases, in the order the tests run. */
import type { CaseTopic } from '../case';
import { evaluation } from './evaluation';

export const allTopics: CaseTopic[] = [evaluation];
