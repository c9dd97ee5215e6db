/** Picks one metric's observations out of the polls, counting the polls without usable data. */
import type { Observation, Poll } from './types.ts';

export type DataKind = Exclude<Observation['kind'], 'nodata'>;

export interface Collected<O> {
  points: Array<{ t: number; observation: O }>;
  noDataPolls: number;
  /** Why the latest poll without data had none. */
  noDataReason?: string;
}

export function collect<K extends DataKind>(
  polls: readonly Poll[],
  name: string,
  kind: K,
): Collected<Extract<Observation, { kind: K }>> {
  const collected: Collected<Extract<Observation, { kind: K }>> = { points: [], noDataPolls: 0 };
  for (const poll of polls) {
    const observation = poll.observations[name];
    if (observation?.kind === kind) {
      collected.points.push({ t: poll.t, observation: observation as Extract<Observation, { kind: K }> });
      continue;
    }
    collected.noDataPolls++;
    if (!observation) collected.noDataReason = 'the poll had no observation for it';
    else if (observation.kind === 'nodata') collected.noDataReason = observation.reason;
    else collected.noDataReason = `got a ${observation.kind} observation for a ${kind} metric`;
  }
  return collected;
}

/** "no observations in 4 polls (last: query returned no series)". */
export function describeNoData(collected: Collected<unknown>): string {
  const reason = collected.noDataReason ? ` (last: ${collected.noDataReason})` : '';
  return `no observations in ${collected.noDataPolls} poll${collected.noDataPolls === 1 ? '' : 's'}${reason}`;
}
