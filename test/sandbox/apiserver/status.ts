import type { ResourceType } from './resources.ts';
import { qualifiedName } from './resources.ts';

export interface StatusCause {
  reason?: string;
  message?: string;
  field?: string;
}

export interface StatusDetails {
  name?: string;
  group?: string;
  kind?: string;
  uid?: string;
  causes?: StatusCause[];
  retryAfterSeconds?: number;
}

/** An error the API server answers with a Kubernetes `Status` body. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
    message: string,
    readonly details?: StatusDetails,
  ) {
    super(message);
  }

  toStatus(): Record<string, unknown> {
    return {
      kind: 'Status',
      apiVersion: 'v1',
      metadata: {},
      status: 'Failure',
      message: this.message,
      reason: this.reason,
      ...(this.details ? { details: this.details } : {}),
      code: this.code,
    };
  }
}

function subject(type: ResourceType, name?: string): string {
  return name ? `${qualifiedName(type)} "${name}"` : qualifiedName(type);
}

export const errors = {
  unauthorized: () => new ApiError(401, 'Unauthorized', 'Unauthorized'),
  notFound: (type: ResourceType, name: string) =>
    new ApiError(404, 'NotFound', `${subject(type, name)} not found`, {
      name,
      group: type.group,
      kind: type.plural,
    }),
  pathNotFound: () => new ApiError(404, 'NotFound', 'the server could not find the requested resource', {}),
  alreadyExists: (type: ResourceType, name: string) =>
    new ApiError(409, 'AlreadyExists', `${subject(type, name)} already exists`, {
      name,
      group: type.group,
      kind: type.plural,
    }),
  conflict: (type: ResourceType, name: string, why: string) =>
    new ApiError(409, 'Conflict', `Operation cannot be fulfilled on ${subject(type, name)}: ${why}`, {
      name,
      group: type.group,
      kind: type.plural,
    }),
  staleResourceVersion: (type: ResourceType, name: string) =>
    errors.conflict(
      type,
      name,
      'the object has been modified; please apply your changes to the latest version and try again',
    ),
  invalid: (type: ResourceType, name: string, causes: Array<{ field: string; message: string }>) => {
    const kind = type.group ? `${type.kind}.${type.group}` : type.kind;
    const list = causes.map((c) => `${c.field}: ${c.message}`);
    const text = list.length === 1 ? list[0] : `[${list.join(', ')}]`;
    return new ApiError(422, 'Invalid', `${kind} "${name}" is invalid: ${text}`, {
      name,
      group: type.group,
      kind: type.kind,
      causes: causes.map((c) => ({ reason: 'FieldValueInvalid', message: c.message, field: c.field })),
    });
  },
  invalid422: (message: string) => new ApiError(422, 'Invalid', message),
  badRequest: (message: string) => new ApiError(400, 'BadRequest', message),
  unsupportedMediaType: (contentType: string) =>
    new ApiError(
      415,
      'UnsupportedMediaType',
      `the body of the request was in an unknown format - accepted media types include: application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml, application/strategic-merge-patch+json (got ${contentType || 'none'})`,
    ),
  methodNotAllowed: (verb: string, type: ResourceType) =>
    new ApiError(
      405,
      'MethodNotAllowed',
      `the server does not allow this method on the requested resource (${verb} ${qualifiedName(type)})`,
    ),
  gone: (message: string) => new ApiError(410, 'Expired', message),
  internal: (message: string) => new ApiError(500, 'InternalError', `Internal error occurred: ${message}`),
  unavailable: (message: string) => new ApiError(503, 'ServiceUnavailable', message),
};

/** The text `kubectl` prints for a denied request, word for word as the real authorizer phrases it. */
export function forbidden(options: {
  user: string;
  verb: string;
  type: ResourceType;
  subresource?: string;
  name?: string;
  namespace?: string;
}): ApiError {
  const { user, verb, type, subresource, name, namespace } = options;
  const resource = subresource ? `${type.plural}/${subresource}` : type.plural;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const message = `${subject(type, name)} is forbidden: User "${user}" cannot ${verb} resource "${resource}" in API group "${type.group}" ${scope}`;
  return new ApiError(403, 'Forbidden', message, {
    ...(name ? { name } : {}),
    group: type.group,
    kind: type.plural,
  });
}
