import type { KubeObject } from '../node/types.ts';
import { defaultCustomResource } from './crd-schemas.ts';
import type { ResourceType } from './resources.ts';
import { isObject } from './patch.ts';
import { matchesRequirements, selectorRequirements } from './selectors.ts';
import type { LabelSelector } from './selectors.ts';
import { errors } from './status.ts';

type Obj = Record<string, unknown>;

function obj(parent: Obj, key: string): Obj {
  if (!isObject(parent[key])) parent[key] = {};
  return parent[key] as Obj;
}

function defaultProbe(probe: unknown): void {
  if (!isObject(probe)) return;
  probe.timeoutSeconds ??= 1;
  probe.periodSeconds ??= 10;
  probe.successThreshold ??= 1;
  probe.failureThreshold ??= 3;
  if (isObject(probe.httpGet)) probe.httpGet.scheme ??= 'HTTP';
}

function defaultContainer(c: Obj): void {
  const image = String(c.image ?? '');
  const tag = image.includes('@') ? 'digest' : /:[^/]+$/.exec(image)?.[0]?.slice(1);
  c.imagePullPolicy ??= !tag || tag === 'latest' ? 'Always' : 'IfNotPresent';
  c.terminationMessagePath ??= '/dev/termination-log';
  c.terminationMessagePolicy ??= 'File';
  c.resources ??= {};
  for (const p of (c.ports as Obj[] | undefined) ?? []) p.protocol ??= 'TCP';
  for (const e of (c.env as Obj[] | undefined) ?? []) {
    const from = e.valueFrom;
    if (isObject(from) && isObject(from.fieldRef)) from.fieldRef.apiVersion ??= 'v1';
  }
  defaultProbe(c.readinessProbe);
  defaultProbe(c.livenessProbe);
  defaultProbe(c.startupProbe);
}

/** The PodSpec defaults the real API server fills in (SetDefaults_PodSpec and friends). */
export function defaultPodSpec(spec: Obj, forPod: boolean): void {
  spec.restartPolicy ??= 'Always';
  spec.terminationGracePeriodSeconds ??= 30;
  spec.dnsPolicy ??= 'ClusterFirst';
  spec.securityContext ??= {};
  spec.schedulerName ??= 'default-scheduler';
  for (const c of [...((spec.containers as Obj[]) ?? []), ...((spec.initContainers as Obj[]) ?? [])])
    defaultContainer(c);
  if (forPod) {
    spec.serviceAccountName ??= spec.serviceAccount ?? 'default';
    spec.serviceAccount ??= spec.serviceAccountName;
    spec.enableServiceLinks ??= true;
    spec.preemptionPolicy ??= 'PreemptLowerPriority';
    spec.priority ??= 0;
  }
}

function defaultTemplate(spec: Obj): void {
  const template = obj(spec, 'template');
  const metadata = obj(template, 'metadata');
  if (!('creationTimestamp' in metadata)) metadata.creationTimestamp = null;
  defaultPodSpec(obj(template, 'spec'), false);
}

let nextClusterIp = 10;

/** Fills in what the real API server defaults for each kind; mutates `object`. */
export function applyDefaults(type: ResourceType, object: KubeObject): void {
  defaultCustomResource(type, object);
  const o = object as Obj;
  switch (`${type.group}/${type.kind}`) {
    case 'apps/Deployment': {
      const spec = obj(o, 'spec');
      spec.replicas ??= 1;
      const strategy = obj(spec, 'strategy');
      strategy.type ??= 'RollingUpdate';
      if (strategy.type === 'RollingUpdate') {
        const rolling = obj(strategy, 'rollingUpdate');
        rolling.maxUnavailable ??= '25%';
        rolling.maxSurge ??= '25%';
      }
      spec.revisionHistoryLimit ??= 10;
      spec.progressDeadlineSeconds ??= 600;
      defaultTemplate(spec);
      break;
    }
    case 'apps/ReplicaSet': {
      const spec = obj(o, 'spec');
      spec.replicas ??= 1;
      defaultTemplate(spec);
      break;
    }
    case '/Pod':
      defaultPodSpec(obj(o, 'spec'), true);
      break;
    case '/Service': {
      const spec = obj(o, 'spec');
      spec.type ??= 'ClusterIP';
      spec.sessionAffinity ??= 'None';
      for (const p of (spec.ports as Obj[] | undefined) ?? []) {
        p.protocol ??= 'TCP';
        p.targetPort ??= p.port;
      }
      if (spec.clusterIP === undefined) {
        nextClusterIp += 1;
        spec.clusterIP = `10.96.${Math.floor(nextClusterIp / 250) % 250}.${(nextClusterIp % 250) + 1}`;
      }
      spec.clusterIPs ??= spec.clusterIP === 'None' ? ['None'] : [spec.clusterIP];
      spec.ipFamilies ??= ['IPv4'];
      spec.ipFamilyPolicy ??= 'SingleStack';
      spec.internalTrafficPolicy ??= 'Cluster';
      const status = obj(o, 'status');
      status.loadBalancer ??= {};
      break;
    }
    case 'networking.k8s.io/Ingress':
      obj(obj(o, 'status'), 'loadBalancer');
      break;
    case '/Namespace': {
      object.metadata.labels = {
        ...object.metadata.labels,
        'kubernetes.io/metadata.name': object.metadata.name,
      };
      const spec = obj(o, 'spec');
      spec.finalizers ??= ['kubernetes'];
      const status = obj(o, 'status');
      status.phase ??= 'Active';
      break;
    }
  }
}

const NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Go's `%#v` of a map[string]string, as validation messages print label maps. */
function goMap(labels: Record<string, string>): string {
  const entries = Object.keys(labels)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${JSON.stringify(labels[k])}`);
  return `map[string]string{${entries.join(', ')}}`;
}

function validateContainers(
  spec: Obj | undefined,
  prefix: string,
  out: Array<{ field: string; message: string }>,
): void {
  const containers = spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0) {
    out.push({ field: `${prefix}.containers`, message: 'Required value' });
    return;
  }
  containers.forEach((c: Obj, i) => {
    if (!c.name) out.push({ field: `${prefix}.containers[${i}].name`, message: 'Required value' });
    if (!c.image) out.push({ field: `${prefix}.containers[${i}].image`, message: 'Required value' });
  });
}

/** The validation subset the sandbox enforces; throws 422 Invalid with the real field paths. */
export function validate(type: ResourceType, object: KubeObject, old?: KubeObject): void {
  const causes: Array<{ field: string; message: string }> = [];
  const name = object.metadata.name;
  if (!NAME.test(name) || name.length > 253) {
    causes.push({
      field: 'metadata.name',
      message: `Invalid value: ${JSON.stringify(name)}: a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character`,
    });
  }
  const spec = (object as Obj).spec as Obj | undefined;
  if (type.kind === 'Deployment' || type.kind === 'ReplicaSet') {
    const selector = spec?.selector as LabelSelector | undefined;
    const template = spec?.template as Obj | undefined;
    const labels = ((template?.metadata as Obj | undefined)?.labels ?? {}) as Record<string, string>;
    if (typeof spec?.replicas === 'number' && spec.replicas < 0) {
      causes.push({
        field: 'spec.replicas',
        message: `Invalid value: ${spec.replicas}: must be greater than or equal to 0`,
      });
    }
    if (!selector || selectorRequirements(selector).length === 0) {
      causes.push({ field: 'spec.selector', message: 'Required value' });
    } else if (!matchesRequirements(labels, selectorRequirements(selector))) {
      causes.push({
        field: 'spec.template.metadata.labels',
        message: `Invalid value: ${goMap(labels)}: \`selector\` does not match template \`labels\``,
      });
    }
    validateContainers(template?.spec as Obj | undefined, 'spec.template.spec', causes);
    const oldSelector = (old as Obj | undefined)?.spec && ((old as Obj).spec as Obj).selector;
    if (old && selector && JSON.stringify(oldSelector) !== JSON.stringify(selector)) {
      causes.push({
        field: 'spec.selector',
        message: `Invalid value: ${JSON.stringify(selector)}: field is immutable`,
      });
    }
  }
  if (type.kind === 'Pod') validateContainers(spec, 'spec', causes);
  if (type.kind === 'Ingress') {
    ((spec?.rules as Obj[] | undefined) ?? []).forEach((rule, i) =>
      (((rule.http as Obj | undefined)?.paths as Obj[] | undefined) ?? []).forEach((p, j) => {
        if (!p.pathType)
          causes.push({
            field: `spec.rules[${i}].http.paths[${j}].pathType`,
            message: 'Required value: pathType must be specified',
          });
      }),
    );
  }
  if (type.kind === 'Service' && spec?.type !== 'ExternalName') {
    const ports = spec?.ports;
    if (!Array.isArray(ports) || ports.length === 0)
      causes.push({ field: 'spec.ports', message: 'Required value' });
  }
  if (causes.length > 0) throw errors.invalid(type, name, causes);
}
