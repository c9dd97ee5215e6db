import type { KubeConfig, RequestContext, ResponseContext } from '@kubernetes/client-node';
import { KubernetesObjectApi } from '@kubernetes/client-node';
import type { KubeObject } from './types.ts';
import { HttpStatusError } from './retry.ts';

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

export interface RawRequest {
  method: Method;
  path: string;
  query?: Record<string, string | number | boolean | undefined>;
  body?: unknown;
  contentType?: string;
}

/**
 * KubernetesObjectApi (discovery, URL building, auth, TLS) that sends and returns plain Kubernetes JSON.
 * The stock client round-trips objects through its typed models, which drops unknown fields and turns
 * timestamps into Dates; the engine wants the JSON exactly as the API server wrote it.
 */
export class RawObjectApi extends KubernetesObjectApi {
  private requestTimeoutMs = 30_000;
  /** Aborts every request, in flight or later: set once the client must stop talking to the API. */
  private readonly halting = new AbortController();

  halt(reason: unknown): void {
    this.halting.abort(reason);
  }

  static create(kc: KubeConfig, namespace: string, requestTimeoutMs: number): RawObjectApi {
    const api = kc.makeApiClient(RawObjectApi);
    api.defaultNamespace = namespace;
    api.requestTimeoutMs = requestTimeoutMs;
    return api;
  }

  /** The path of one object (or of its collection when `collection`), resolved through discovery. */
  async objectPath(apiVersion: string, kind: string, namespace: string, name?: string): Promise<string> {
    return this.specUriPath(
      { apiVersion, kind, metadata: { namespace, ...(name ? { name } : {}) } },
      name ? 'read' : 'list',
    );
  }

  /** Plural resource name and namespaced flag of a kind, from discovery. */
  async resourceOf(
    apiVersion: string,
    kind: string,
  ): Promise<{ name: string; namespaced: boolean } | undefined> {
    const resource = await this.resource(apiVersion, kind);
    return resource ? { name: resource.name, namespaced: resource.namespaced } : undefined;
  }

  async send<T = KubeObject>(request: RawRequest): Promise<T> {
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (a false positive of the rule)
    const context = this.configuration.baseServer.makeRequestContext(request.path, request.method as never);
    context.setHeaderParam('Accept', 'application/json, */*;q=0.8');
    for (const [key, value] of Object.entries(request.query ?? {}))
      if (value !== undefined) context.setQueryParam(key, String(value));
    if (request.body !== undefined) {
      context.setHeaderParam('Content-Type', request.contentType ?? 'application/json');
      context.setBody(JSON.stringify(request.body));
    }
    return this.requestPromise(context);
  }

  protected override async requestPromise<T>(context: RequestContext, type?: string): Promise<T> {
    this.halting.signal.throwIfAborted();
    if (!context.getSignal())
      context.setSignal(AbortSignal.any([this.halting.signal, AbortSignal.timeout(this.requestTimeoutMs)]));
    // eslint-disable-next-line @typescript-eslint/no-unnecessary-type-assertion -- tsc needs it (a false positive of the rule)
    return super.requestPromise(context as never, type) as Promise<T>;
  }

  protected override async processResponse<T>(response: ResponseContext): Promise<T> {
    const text = await response.body.text();
    const isJson = (response.headers['content-type'] ?? '').includes('json');
    let data: unknown = text;
    if (isJson && text) {
      try {
        data = JSON.parse(text);
      } catch {
        data = text;
      }
    }
    if (response.httpStatusCode >= 200 && response.httpStatusCode <= 299) return data as T;
    throw new HttpStatusError(response.httpStatusCode, data, response.headers);
  }
}
