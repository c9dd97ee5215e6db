import type { KubeObject } from '../node/types.ts';
import { errors } from './status.ts';

type Operator = '=' | '!=' | 'in' | 'notin' | 'exists' | '!';
export interface Requirement {
  key: string;
  op: Operator;
  values: string[];
}

/** Splits on commas that are not inside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = '';
  for (const ch of text) {
    if (ch === '(') depth += 1;
    if (ch === ')') depth -= 1;
    if (ch === ',' && depth === 0) {
      parts.push(current);
      current = '';
    } else current += ch;
  }
  parts.push(current);
  return parts.map((p) => p.trim()).filter((p) => p !== '');
}

/** Parses a label selector string: `a=b`, `a==b`, `a!=b`, `a in (x,y)`, `a notin (x)`, `a`, `!a`. */
export function parseLabelSelector(text: string | null | undefined): Requirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    let m = /^([^\s!=(),]+)\s+(in|notin)\s+\(([^)]*)\)$/.exec(part);
    if (m) {
      const values = m[3]!.split(',').map((v) => v.trim());
      return { key: m[1]!, op: m[2] as Operator, values };
    }
    m = /^([^\s!=(),]+)\s*(==|=|!=)\s*([^\s!=(),]*)$/.exec(part);
    if (m) return { key: m[1]!, op: m[2] === '!=' ? '!=' : '=', values: [m[3]!] };
    m = /^!\s*([^\s!=(),]+)$/.exec(part);
    if (m) return { key: m[1]!, op: '!', values: [] };
    m = /^([^\s!=(),]+)$/.exec(part);
    if (m) return { key: m[1]!, op: 'exists', values: [] };
    throw errors.badRequest(
      `unable to parse requirement: ${JSON.stringify(part)}: expected key, !key, key=value, key!=value, key in (a,b) or key notin (a,b)`,
    );
  });
}

export function matchesRequirements(
  labels: Record<string, string> | undefined,
  requirements: Requirement[],
): boolean {
  const all = labels ?? {};
  return requirements.every(({ key, op, values }) => {
    const has = Object.hasOwn(all, key);
    const value = all[key];
    switch (op) {
      case '=':
        return has && value === values[0];
      case '!=':
        return !has || value !== values[0];
      case 'in':
        return has && values.includes(value!);
      case 'notin':
        return !has || !values.includes(value!);
      case 'exists':
        return has;
      case '!':
        return !has;
    }
  });
}

export interface LabelSelector {
  matchLabels?: Record<string, string>;
  matchExpressions?: Array<{ key: string; operator: string; values?: string[] }>;
}

/** A metav1.LabelSelector as requirements (an empty selector matches everything). */
export function selectorRequirements(selector: LabelSelector | undefined): Requirement[] {
  if (!selector) return [];
  const out: Requirement[] = Object.entries(selector.matchLabels ?? {}).map(([key, value]) => ({
    key,
    op: '=',
    values: [value],
  }));
  for (const e of selector.matchExpressions ?? []) {
    const op = { In: 'in', NotIn: 'notin', Exists: 'exists', DoesNotExist: '!' }[e.operator] as
      Operator | undefined;
    if (op) out.push({ key: e.key, op, values: e.values ?? [] });
  }
  return out;
}

/** `app=web,pod-template-hash=abc`: the string form kubectl and Scale.status.selector use. */
export function selectorString(selector: LabelSelector | undefined): string {
  return selectorRequirements(selector)
    .map(({ key, op, values }) => {
      if (op === '=') return `${key}=${values[0]}`;
      if (op === 'exists') return key;
      if (op === '!') return `!${key}`;
      return `${key} ${op} (${values.join(',')})`;
    })
    .join(',');
}

interface FieldRequirement {
  field: string;
  negate: boolean;
  value: string;
}

const FIELDS = [
  'metadata.name',
  'metadata.namespace',
  'status.phase',
  'spec.nodeName',
  'involvedObject.name',
  'involvedObject.kind',
  'involvedObject.uid',
  'type',
  'reason',
];

export function parseFieldSelector(text: string | null | undefined): FieldRequirement[] {
  if (!text) return [];
  return splitTopLevel(text).map((part) => {
    const m = /^([^!=]+)(==|=|!=)(.*)$/.exec(part);
    if (!m)
      throw errors.badRequest(
        `invalid field selector ${JSON.stringify(part)}: expected field=value or field!=value`,
      );
    const field = m[1]!.trim();
    if (!FIELDS.includes(field)) {
      throw errors.badRequest(`field label not supported: ${field} (supported: ${FIELDS.join(', ')})`);
    }
    return { field, negate: m[2] === '!=', value: m[3]!.trim() };
  });
}

function fieldValue(object: KubeObject, path: string): string {
  let value: unknown = object;
  for (const part of path.split('.')) value = (value as Record<string, unknown> | undefined)?.[part];
  return value === undefined || value === null ? '' : String(value);
}

export function matchesFields(object: KubeObject, requirements: FieldRequirement[]): boolean {
  return requirements.every((r) => (fieldValue(object, r.field) === r.value) !== r.negate);
}
