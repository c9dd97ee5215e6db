import { ConfigError } from '../util/errors.ts';

const REFERENCE = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g;

/**
 * Replaces `${VAR}` in every string of a parsed document with the environment's value (`$${` stays a
 * literal `${`). Every value substituted is returned as a secret: that is how tokens arrive, and the
 * logger must never print them.
 */
export function substituteEnv(
  document: unknown,
  env: Record<string, string | undefined>,
): { value: unknown; secrets: string[] } {
  const secrets = new Set<string>();
  const walk = (node: unknown, path: string): unknown => {
    if (typeof node === 'string') {
      return node.replace(REFERENCE, (match, name: string | undefined) => {
        if (name === undefined) return '${';
        const value = env[name];
        if (value === undefined) {
          throw new ConfigError(path, `environment variable ${name} is not set (referenced as \${${name}})`);
        }
        if (value.length > 0) secrets.add(value);
        return value;
      });
    }
    if (Array.isArray(node)) return node.map((item, i) => walk(item, `${path}[${i}]`));
    if (typeof node === 'object' && node !== null) {
      return Object.fromEntries(
        Object.entries(node).map(([key, child]) => [key, walk(child, path ? `${path}.${key}` : key)]),
      );
    }
    return node;
  };
  return { value: walk(document, ''), secrets: [...secrets] };
}
