/**
 * The one shape of every plugin registry (metrics providers, traffic routers, image builders, notifiers):
 * a name → factory table, the list of valid names, and one error for an unknown name that says which field
 * held it and what would have been valid.
 */
import { ConfigError } from './errors.ts';

export interface Registry<Factory> {
  /** What the plugins are, for messages: "metrics provider", "router", "builder", "notifier". */
  readonly kind: string;
  readonly names: readonly string[];
  /** The factory registered under `name`; a ConfigError on `field` naming the valid ones otherwise. */
  get(name: string, field: string): Factory;
}

export function createRegistry<Factory>(kind: string, factories: Record<string, Factory>): Registry<Factory> {
  const names = Object.freeze(Object.keys(factories));
  return {
    kind,
    names,
    get(name, field) {
      const factory = Object.hasOwn(factories, name) ? factories[name] : undefined;
      if (factory === undefined) {
        throw new ConfigError(field, `unknown ${kind} ${JSON.stringify(name)}; valid: ${names.join(', ')}`);
      }
      return factory;
    },
  };
}
