/** Planted secrets and the outputs that must never contain them. */
import type { Case } from '../harness.ts';

export const SECRET_CASES: Case[] = [];
