/**
 * The manifests checked before anything is applied: each object against the Kubernetes schema of its kind
 * (Deployment and Service from the v1.30 OpenAPI, ConfigMap and Secret written from it), one object per
 * kind and name, and no object in another namespace than the release's.
 */
import type { SchemaNode } from '../config/schema.ts';
import { validateSchema } from '../config/validate.ts';
import { KUBE_SCHEMAS } from '../kube/openapi/schemas.generated.ts';
import type { KubeObject } from '../kube/types.ts';
import { ConfigError } from '../util/errors.ts';

const DNS_SUBDOMAIN = {
  type: 'string',
  pattern: '^(?=.{1,253}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$',
  patternDescription: 'a DNS-1123 subdomain (lowercase letters, digits, "-" and ".", at most 253)',
} as const satisfies SchemaNode;

const stringMap: SchemaNode = { type: 'object', additionalProperties: { type: 'string' } };

const metadata: SchemaNode = {
  type: 'object',
  properties: {
    name: DNS_SUBDOMAIN,
    namespace: { type: 'string' },
    labels: stringMap,
    annotations: stringMap,
  },
};

const configObject = (kind: string, properties: Record<string, SchemaNode>): SchemaNode => ({
  type: 'object',
  additionalProperties: false,
  properties: {
    apiVersion: { type: 'string', enum: ['v1'] },
    kind: { type: 'string', enum: [kind] },
    metadata,
    immutable: { type: 'boolean' },
    ...properties,
  },
});

const BASE64: SchemaNode = {
  type: 'object',
  additionalProperties: {
    type: 'string',
    pattern: '^[A-Za-z0-9+/\\s]*={0,2}\\s*$',
    patternDescription: 'base64 (stringData takes plain text)',
  },
};

const SCHEMAS: Record<string, SchemaNode> = {
  Deployment: KUBE_SCHEMAS.deployment,
  Service: KUBE_SCHEMAS.service,
  ConfigMap: configObject('ConfigMap', { data: stringMap, binaryData: BASE64 }),
  Secret: configObject('Secret', { data: BASE64, stringData: stringMap, type: { type: 'string' } }),
};

/** The object against its kind's schema (other kinds: their metadata); a ConfigError naming the field. */
export function checkObjectSchema(object: KubeObject, where: string): void {
  const schema = SCHEMAS[object.kind] ?? { type: 'object', properties: { metadata } };
  const [first, ...more] = validateSchema(schema, object);
  if (!first) return;
  // A Secret's values are never echoed.
  const say = (message: string) =>
    object.kind === 'Secret' ? message.replace(/, got [\s\S]*$/, ' (the value is not printed)') : message;
  const at = (path: string) => (path ? `${where}.${path}` : where);
  const rest = more.slice(0, 4).map((issue) => `\n  ${at(issue.path)}: ${say(issue.message)}`);
  throw new ConfigError(
    at(first.path),
    `${say(first.message)} (${object.kind} ${object.metadata.name})${rest.join('')}`,
  );
}

/** One object per kind and name, and every object in the release's namespace (or none named). */
export function checkManifestSet(
  objects: readonly KubeObject[],
  namespace: string,
  whereOf: (object: KubeObject) => string,
): void {
  const seen = new Map<string, KubeObject>();
  for (const object of objects) {
    const key = `${object.kind}/${object.metadata.name}`;
    const earlier = seen.get(key);
    if (earlier) {
      throw new ConfigError(
        '--manifests',
        `${object.kind} ${JSON.stringify(object.metadata.name)} is defined twice (${whereOf(earlier)} and ${whereOf(object)}): expected one object per kind and name`,
      );
    }
    seen.set(key, object);
    const own = object.metadata.namespace;
    if (own !== undefined && own !== namespace) {
      throw new ConfigError(
        `${whereOf(object)}.metadata.namespace`,
        `${object.kind} ${object.metadata.name} is in namespace ${JSON.stringify(own).slice(0, 80)}, but the release targets namespace "${namespace}": expected "${namespace}" or no namespace`,
      );
    }
  }
}
