/** Every case of the suite, in the order of the table. */
import type { Case } from '../harness.ts';
import { BAD_INPUT_CASES } from './bad-input.ts';
import { FAULT_CASES } from './faults.ts';
import { SECRET_CASES } from './secrets.ts';

export const ALL_CASES: readonly Case[] = [...BAD_INPUT_CASES, ...SECRET_CASES, ...FAULT_CASES];

const seen = new Set<string>();
for (const c of ALL_CASES) {
  if (seen.has(c.id)) throw new Error(`duplicate case id ${c.id}`);
  seen.add(c.id);
}
