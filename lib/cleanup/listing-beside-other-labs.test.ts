/**
 * listingBesideOtherLabs: the leftover proof and the destroy plan read the
 * region, then the other labs, and read the other labs again when the first
 * reading leaves something unexplained. The race it closes: on one emulator a
 * neighbour lab's reset builds its resources before its stack is listed, so a
 * reading of the other labs taken at the same moment as the listing does not
 * know the neighbour's new cluster, and this lab's destroy called it a
 * leftover (or planned to delete it).
 */
import { diffListings, listingBesideOtherLabs, OtherLabs, RegionListing } from './region-listing';

const BEFORE: RegionListing = { types: ['ecs:cluster'], resources: { 'ecs:cluster': [] }, unlisted: {} };
const NEIGHBOUR = {
  line: 'ECS cluster lab-b-cluster',
  id: 'arn:aws:ecs:us-east-1:123456789012:cluster/lab-b-cluster',
  name: 'lab-b-cluster',
};
const NOW: RegionListing = { types: ['ecs:cluster'], resources: { 'ecs:cluster': [NEIGHBOUR] }, unlisted: {} };
const NOBODY: OtherLabs = { ids: new Set(), stackNames: [] };
const LAB_B: OtherLabs = { ids: new Set(), stackNames: ['lab-b'] };

/** A region where lab-b's stack is listed only from the `listedFrom`-th reading of the other labs on. */
function region(listedFrom: number) {
  const calls: string[] = [];
  let readings = 0;
  return {
    calls,
    read: {
      list: async () => {
        calls.push('list');
        return NOW;
      },
      others: async () => {
        calls.push('others');
        readings += 1;
        return readings >= listedFrom ? LAB_B : NOBODY;
      },
      pause: async () => {
        calls.push('pause');
      },
    },
  };
}

const unexplained = (now: RegionListing, others: OtherLabs) => diffListings(BEFORE, now, others).added.length > 0;

test('a neighbour whose stack is listed only after its resources: the second reading gives it its cluster', async () => {
  const r = region(2);
  const { now, others } = await listingBesideOtherLabs(r.read, unexplained);
  expect(diffListings(BEFORE, now, others).added).toEqual([]);
  expect(r.calls).toEqual(['list', 'others', 'pause', 'others']);
});

test('the region is listed before the other labs are read, never at the same time', async () => {
  const r = region(1);
  await listingBesideOtherLabs(r.read, unexplained);
  expect(r.calls).toEqual(['list', 'others']); // explained at once: no second reading
});

test("a resource no lab owns stays this lab's leftover after the second reading", async () => {
  const r = region(Infinity);
  const { now, others } = await listingBesideOtherLabs(r.read, unexplained);
  expect(diffListings(BEFORE, now, others).added).toEqual(['ECS cluster lab-b-cluster']);
  expect(r.calls).toEqual(['list', 'others', 'pause', 'others']);
});
