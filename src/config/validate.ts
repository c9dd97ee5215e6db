import type { SchemaNode } from './schema.ts';

export interface SchemaIssue {
  /** Dotted path into the document, e.g. `analysis.metrics[2].tolerance`. */
  path: string;
  message: string;
}

/** Validates `value` against the subset of JSON Schema that src/config/schema.ts uses. */
export function validateSchema(schema: SchemaNode, value: unknown, path = ''): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const add = (message: string, at = path) => issues.push({ path: at, message });
  if (value === null && schema.nullable) return issues;

  if (schema.anyOf && !schema.anyOf.some((option) => validateSchema(option, value, path).length === 0)) {
    // A value of the right type (trafficShare: an object) is wrong inside: say where.
    const typed = schema.anyOf.filter((option) => option.type && hasType(value, option.type));
    if (typed.length === 1 && typed[0]) return validateSchema(typed[0], value, path);
    add(describeAnyOf(schema.anyOf, value));
    return issues;
  }
  if (schema.type && !hasType(value, schema.type)) {
    add(`expected ${article(schema.type)}, got ${show(value)}`);
    return issues;
  }
  if (schema.const !== undefined && value !== schema.const) {
    add(`expected ${JSON.stringify(schema.const)}, got ${show(value)}`);
  }
  if (schema.enum && !schema.enum.includes(value)) {
    add(`expected one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}, got ${show(value)}`);
  }
  if (typeof value === 'number') checkNumber(schema, value, add);
  if (typeof value === 'string' && schema.maxLength !== undefined && value.length > schema.maxLength) {
    add(`expected at most ${schema.maxLength} characters, got ${value.length}`);
  }
  if (typeof value === 'string' && schema.pattern && !new RegExp(schema.pattern).test(value)) {
    add(`expected ${schema.patternDescription ?? `a string matching ${schema.pattern}`}, got ${show(value)}`);
  }
  if (Array.isArray(value)) {
    if (schema.minItems !== undefined && value.length < schema.minItems) {
      add(`expected at least ${schema.minItems} item(s), got ${value.length}`);
    }
    if (schema.items) {
      const items = schema.items;
      value.forEach((item, i) => issues.push(...validateSchema(items, item, `${path}[${i}]`)));
    }
  }
  if (isObject(value)) issues.push(...checkObject(schema, value, path));
  for (const rule of schema.allOf ?? []) {
    if (rule.if && validateSchema(rule.if, value, path).length > 0) continue;
    if (rule.then) issues.push(...validateSchema(rule.then, value, path));
  }
  return issues;
}

function checkObject(schema: SchemaNode, value: Record<string, unknown>, path: string): SchemaIssue[] {
  const issues: SchemaIssue[] = [];
  const join = (key: string) => (path ? `${path}.${key}` : key);
  for (const key of schema.required ?? []) {
    if (value[key] === undefined) issues.push({ path: join(key), message: 'is required' });
  }
  for (const [key, child] of Object.entries(value)) {
    const known = schema.properties?.[key];
    if (known) {
      issues.push(...validateSchema(known, child, join(key)));
    } else if (schema.additionalProperties === false) {
      const valid = Object.keys(schema.properties ?? {}).join(', ');
      issues.push({ path: join(key), message: `unknown field (valid fields: ${valid})` });
    } else if (typeof schema.additionalProperties === 'object') {
      issues.push(...validateSchema(schema.additionalProperties, child, join(key)));
    }
  }
  return issues;
}

function checkNumber(schema: SchemaNode, value: number, add: (message: string) => void): void {
  if (schema.type === 'integer' && !Number.isInteger(value)) add(`expected an integer, got ${show(value)}`);
  if (schema.minimum !== undefined && value < schema.minimum)
    add(`expected a number ≥ ${schema.minimum}, got ${value}`);
  if (schema.maximum !== undefined && value > schema.maximum)
    add(`expected a number ≤ ${schema.maximum}, got ${value}`);
  if (schema.exclusiveMinimum !== undefined && value <= schema.exclusiveMinimum) {
    add(`expected a number > ${schema.exclusiveMinimum}, got ${value}`);
  }
  if (schema.exclusiveMaximum !== undefined && value >= schema.exclusiveMaximum) {
    add(`expected a number < ${schema.exclusiveMaximum}, got ${value}`);
  }
}

function describeAnyOf(options: readonly SchemaNode[], value: unknown): string {
  const shapes = options.map((option) => {
    if (option.required) return `an object with ${option.required.join(' and ')}`;
    if (option.const !== undefined) return JSON.stringify(option.const);
    return option.type ? article(option.type) : 'a matching value';
  });
  return `expected ${shapes.join(' or ')}, got ${show(value)}`;
}

function hasType(value: unknown, type: NonNullable<SchemaNode['type']>): boolean {
  switch (type) {
    case 'object':
      return isObject(value);
    case 'array':
      return Array.isArray(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    default:
      return typeof value === type;
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function article(type: string): string {
  return /^[aeiou]/.test(type) ? `an ${type}` : `a ${type}`;
}

/** Shows a value in an error message, shortened so a pasted secret-sized blob does not flood the log. */
export function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return Number.isNaN(value) ? '.nan (not a number)' : `${value < 0 ? '-' : ''}.inf (infinity)`;
  }
  const text = isObject(value) ? 'an object' : Array.isArray(value) ? 'a list' : JSON.stringify(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}
