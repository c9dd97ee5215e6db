/**
 * What the real API server does with a custom resource's OpenAPI schema, using the published CRD
 * schemas kept in test/schemas/k8s (see SOURCES.md): structural defaulting (every `default` of the
 * schema fills a missing field, recursively), pruning of unknown fields (or a strict-decoding error
 * under `fieldValidation=Strict`), and validation (types, enums, patterns, bounds, required fields:
 * 422 with the field paths). Not simulated: the CRDs' CEL rules (`x-kubernetes-validations`).
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { K8S_SCHEMAS_DIR } from '../../support/schemas.ts';
import type { KubeObject } from '../node/types.ts';
import { isObject } from './patch.ts';
import type { ResourceType } from './resources.ts';
import { apiVersionOf } from './resources.ts';
import { errors } from './status.ts';

type Schema = Record<string, unknown>;

/** `group/version/Kind` → schema file in test/schemas/k8s. */
const SCHEMA_FILES: Record<string, string> = {
  'gateway.networking.k8s.io/v1/GatewayClass': 'gatewayclass_v1.json',
  'gateway.networking.k8s.io/v1/Gateway': 'gateway_v1.json',
  'gateway.networking.k8s.io/v1/HTTPRoute': 'httproute_v1.json',
  'networking.istio.io/v1/VirtualService': 'virtualservice_v1.json',
  'networking.istio.io/v1beta1/VirtualService': 'virtualservice_v1beta1.json',
  'networking.istio.io/v1/DestinationRule': 'destinationrule_v1.json',
  'networking.istio.io/v1beta1/DestinationRule': 'destinationrule_v1beta1.json',
};

const ajv = new Ajv({ strict: false, allErrors: true, validateFormats: false });
const loaded = new Map<string, { schema: Schema; validate: ValidateFunction } | undefined>();

function schemaOf(type: ResourceType): { schema: Schema; validate: ValidateFunction } | undefined {
  const id = `${apiVersionOf(type)}/${type.kind}`;
  if (!loaded.has(id)) {
    const file = SCHEMA_FILES[id];
    if (!file) loaded.set(id, undefined);
    else {
      const schema = JSON.parse(readFileSync(path.join(K8S_SCHEMAS_DIR, file), 'utf8')) as Schema;
      loaded.set(id, { schema, validate: ajv.compile(schema) });
    }
  }
  return loaded.get(id);
}

export function hasSchema(type: ResourceType): boolean {
  return !type.builtin && schemaOf(type) !== undefined;
}

function applyDefaults(schema: Schema, value: unknown): void {
  if (Array.isArray(value)) {
    if (isObject(schema.items)) for (const item of value) applyDefaults(schema.items, item);
    return;
  }
  if (!isObject(value)) return;
  const properties = isObject(schema.properties) ? (schema.properties as Record<string, Schema>) : {};
  for (const [key, sub] of Object.entries(properties)) {
    if (value[key] === undefined && sub.default !== undefined) value[key] = structuredClone(sub.default);
    if (value[key] !== undefined) applyDefaults(sub, value[key]);
  }
  if (isObject(schema.additionalProperties))
    for (const [key, child] of Object.entries(value))
      if (!(key in properties)) applyDefaults(schema.additionalProperties, child);
}

/** Fills in the schema's defaults (structural defaulting); mutates `object`. */
export function defaultCustomResource(type: ResourceType, object: KubeObject): void {
  const found = type.builtin ? undefined : schemaOf(type);
  if (found) applyDefaults(found.schema, object);
}

/** `/spec/rules/0/backendRefs/1` → `spec.rules[0].backendRefs[1]`. */
function fieldPath(instancePath: string, child?: string): string {
  const parts = instancePath.split('/').slice(1);
  if (child !== undefined) parts.push(child);
  return parts
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce((out, p) => (/^\d+$/.test(p) ? `${out}[${p}]` : out ? `${out}.${p}` : p), '');
}

function valueAt(object: unknown, instancePath: string): unknown {
  let value = object;
  for (const part of instancePath.split('/').slice(1)) {
    if (Array.isArray(value)) value = value[Number(part)];
    else if (isObject(value)) value = value[part.replace(/~1/g, '/').replace(/~0/g, '~')];
    else return undefined;
  }
  return value;
}

/** An error outside any oneOf/anyOf/not branch: the others only say that a branch was not taken. */
function direct(error: ErrorObject): boolean {
  return !/\/(oneOf|anyOf|allOf|not)\//.test(error.schemaPath);
}

function cause(object: unknown, error: ErrorObject): { field: string; message: string } {
  const field = fieldPath(error.instancePath);
  const value = JSON.stringify(valueAt(object, error.instancePath));
  switch (error.keyword) {
    case 'required':
      return {
        field: fieldPath(error.instancePath, String(error.params.missingProperty)),
        message: 'Required value',
      };
    case 'enum':
      return {
        field,
        message: `Unsupported value: ${value}: supported values: ${(error.params.allowedValues as unknown[])
          .map((v) => JSON.stringify(v))
          .join(', ')}`,
      };
    case 'type':
      return {
        field,
        message: `Invalid value: ${value}: ${field} in body must be of type ${error.params.type}`,
      };
    default:
      return { field, message: `Invalid value: ${value}: ${field} in body ${error.message ?? 'is invalid'}` };
  }
}

/**
 * Prunes unknown fields (or, with `fieldValidation=Strict`, refuses them as the real server does) and
 * validates against the schema; throws 400/422 like the real server. Mutates `object` when pruning.
 */
export function validateCustomResource(
  type: ResourceType,
  object: KubeObject,
  fieldValidation: string | undefined,
): void {
  const found = type.builtin ? undefined : schemaOf(type);
  if (!found) return;
  const valid = (o: unknown): boolean => found.validate(o) as boolean;
  for (let pass = 0; pass < 10; pass += 1) {
    if (valid(object)) return;
    const all = (found.validate.errors ?? []).filter(direct);
    const unknown = all.filter((e) => e.keyword === 'additionalProperties');
    if (unknown.length > 0) {
      if (fieldValidation === 'Strict') {
        const fields = unknown.map((e) => fieldPath(e.instancePath, String(e.params.additionalProperty)));
        throw errors.badRequest(
          `${type.kind} in version "${type.version}" cannot be handled as a ${type.kind}: strict decoding error: ${fields
            .map((f) => `unknown field "${f}"`)
            .join(', ')}`,
        );
      }
      for (const e of unknown) {
        const parent = valueAt(object, e.instancePath);
        if (isObject(parent)) delete parent[String(e.params.additionalProperty)];
      }
      continue;
    }
    const causes = (all.length > 0 ? all : (found.validate.errors ?? [])).map((e) => cause(object, e));
    const unique = [...new Map(causes.map((c) => [`${c.field}|${c.message}`, c])).values()];
    throw errors.invalid(type, object.metadata.name, unique);
  }
}
