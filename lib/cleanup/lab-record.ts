/**
 * The lab record as destroy's leftover proof reads it: breakfix's one record
 * of a lab (lib/targets/lab-record), with its baseline typed as the region
 * listing taken before the lab's first deploy. It is written before that
 * deploy and removed when destroy leaves the region as it was, so a record
 * without a stack is a lab that existed and is gone: evidence the learner
 * cannot edit in their account.
 */
import type { AwsClients } from '../targets/clients';
import * as records from '../targets/lab-record';
import type { Target } from '../targets/target';
import type { RegionListing } from './region-listing';

export type LabRecord = records.LabRecord<RegionListing>;

/** Where a lab is: its target, the clients that reach its account, and its stack name (a ScenarioContext is one). */
export interface LabPlace {
  readonly target: Target;
  readonly clients: AwsClients;
  readonly stackName: string;
}

export async function readLabRecord(lab: LabPlace): Promise<LabRecord | undefined> {
  return records.readLabRecord(lab.target, await records.callerAccount(lab.clients), lab.stackName) as LabRecord | undefined;
}

export async function writeLabRecord(
  lab: LabPlace,
  record: { readonly scenario: string; readonly learner?: string; readonly variant: string; readonly baseline?: RegionListing },
): Promise<LabRecord> {
  const account = await records.callerAccount(lab.clients);
  return records.writeLabRecord(lab.target, account, { ...record, stackName: lab.stackName }) as LabRecord;
}

export async function removeLabRecord(lab: LabPlace): Promise<void> {
  records.removeLabRecord(lab.target, await records.callerAccount(lab.clients), lab.stackName);
}
