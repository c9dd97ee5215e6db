import { KubeConfig } from '@kubernetes/client-node';
import { ConfigError, showValue } from '../util/errors.ts';
import { FILE_LIMITS, loadYamlChecked, readLimited } from '../util/yaml.ts';
import type { KubeTarget } from './types.ts';

export interface LoadedKubeconfig {
  kc: KubeConfig;
  context: string;
  namespace: string;
}

/** Only the reason and position of a load failure: parser messages quote file lines, which may hold tokens. */
function safeReason(error: unknown): string {
  const e = error as { code?: unknown; mark?: { line?: number }; reason?: unknown; message?: unknown };
  if (typeof e?.code === 'string') return e.code;
  if (e?.mark && typeof e.mark.line === 'number')
    return `not valid YAML (${typeof e.reason === 'string' ? e.reason : 'parse error'} at line ${e.mark.line + 1})`;
  const message = typeof e?.message === 'string' ? e.message.split('\n')[0] : '';
  return message && message.length < 200 && !/token|password|secret|data:/i.test(message)
    ? message
    : 'invalid kubeconfig';
}

function kubeconfigFiles(target: KubeTarget): string[] {
  if (target.kubeconfig) return [target.kubeconfig];
  return (process.env.KUBECONFIG ?? '').split(':').filter((file) => file !== '');
}

function checkKubeconfigFile(file: string): void {
  const text = readLimited(file, FILE_LIMITS.kubeconfig, 'kubeconfig');
  try {
    loadYamlChecked(text, 'kubeconfig', file);
  } catch (error) {
    if (error instanceof ConfigError) throw error;
    throw new ConfigError('kubeconfig', `cannot load ${file}: ${safeReason(error)}`);
  }
}

/** Loads the kubeconfig (file, or the default chain: $KUBECONFIG, ~/.kube/config, in-cluster), picks the context. */
export function loadKubeconfig(target: KubeTarget): LoadedKubeconfig {
  const kc = new KubeConfig();
  const source = target.kubeconfig ?? 'the default kubeconfig ($KUBECONFIG, ~/.kube/config or in-cluster)';
  // Size and alias expansion checked before the client reads the files.
  for (const file of kubeconfigFiles(target)) checkKubeconfigFile(file);
  try {
    if (target.kubeconfig) kc.loadFromFile(target.kubeconfig);
    else kc.loadFromDefault();
  } catch (error) {
    throw new ConfigError('kubeconfig', `cannot load ${source}: ${safeReason(error)}`);
  }
  const names = kc.getContexts().map((c) => c.name);
  if (target.context !== undefined) {
    if (!names.includes(target.context)) {
      throw new ConfigError(
        'context',
        `context ${JSON.stringify(target.context)} not found in ${source}; expected one of: ${names.join(', ') || '(none)'}`,
      );
    }
    kc.setCurrentContext(target.context);
  }
  const context = kc.getContextObject(kc.getCurrentContext());
  if (!context) {
    throw new ConfigError(
      'kubeconfig',
      `${source} has no current context; set --context to one of: ${names.join(', ') || '(none)'}`,
    );
  }
  const cluster = kc.getCluster(context.cluster);
  if (!cluster?.server) {
    throw new ConfigError(
      'kubeconfig',
      `context "${context.name}" refers to cluster "${context.cluster}", which is not defined`,
    );
  }
  if (!/^https?:\/\/[^/]/.test(cluster.server) || !URL.canParse(cluster.server)) {
    throw new ConfigError(
      'kubeconfig',
      `cluster "${context.cluster}" has server ${showValue(cluster.server)}: expected an https:// (or http://) URL`,
    );
  }
  if (context.user && !kc.getUser(context.user)) {
    throw new ConfigError(
      'kubeconfig',
      `context "${context.name}" refers to user "${context.user}", which is not defined`,
    );
  }
  return { kc, context: context.name, namespace: target.namespace ?? context.namespace ?? 'default' };
}
