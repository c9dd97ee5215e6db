import {
  BackendError,
  CanaryError,
  ConfigError,
  ExitCode,
  PermissionError,
  RolloutError,
} from '../util/errors.ts';

/** What a request was doing, for error messages: `patch deployments/web in namespace "demo"`. */
export interface Operation {
  verb: string;
  resource: string;
  name?: string;
  namespace?: string;
}

export function describeOperation(op: Operation): string {
  const target = op.name ? `${op.resource}/${op.name}` : op.resource;
  return `${op.verb} ${target}${op.namespace ? ` in namespace "${op.namespace}"` : ''}`;
}

/** The API server answered with an error status we do not treat as input or permission problems. */
export class KubeApiError extends BackendError {
  constructor(
    readonly operation: Operation,
    readonly status: number,
    readonly reason: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(`${describeOperation(operation)}: ${message}`, options);
  }
}

/** Another run holds the workload's lock and did not release it within the wait. */
export class LockHeldError extends CanaryError {
  // Nothing was changed and a later re-run succeeds: an environment condition, not bad input or a regression.
  readonly exitCode = ExitCode.Infrastructure;
  constructor(
    readonly lease: string,
    readonly heldBy: string,
    message: string,
  ) {
    super(message);
  }
}

/** This run no longer holds its Lease (not renewed in time, deleted, or taken): it must not act any more. */
export class LeaseLostError extends CanaryError {
  readonly exitCode = ExitCode.Infrastructure;
  constructor(
    readonly lease: string,
    /** Who holds the Lease now, when that is known. */
    readonly heldBy: string | undefined,
    message: string,
  ) {
    super(message.startsWith('lease lost') ? message : `lease lost: ${message}`);
  }
}

export type RolloutFailureReason =
  | 'CrashLoopBackOff'
  | 'ImagePullBackOff'
  | 'ErrImagePull'
  | 'CreateContainerConfigError'
  | 'InvalidImageName'
  | 'ProgressDeadlineExceeded'
  | 'Timeout';

/** A Deployment that did not roll out; `message` carries the pod diagnostics. */
export class DeploymentRolloutError extends RolloutError {
  constructor(
    readonly deployment: string,
    readonly reason: RolloutFailureReason,
    message: string,
    readonly pod?: string,
    readonly container?: string,
  ) {
    super(message);
  }
}

interface StatusBody {
  message?: string;
  reason?: string;
}

/** The Status body of an API error, whatever shape the client handed it over in. */
export function statusBody(body: unknown): StatusBody {
  if (typeof body === 'string') {
    try {
      return statusBody(JSON.parse(body));
    } catch {
      return { message: body.slice(0, 500) };
    }
  }
  if (body && typeof body === 'object') {
    const { message, reason } = body as Record<string, unknown>;
    return {
      ...(typeof message === 'string' ? { message } : {}),
      ...(typeof reason === 'string' ? { reason } : {}),
    };
  }
  return {};
}

const FORBIDDEN =
  /cannot (\S+) resource "([^"]+)"(?: in API group "([^"]*)")?(?: in the namespace "([^"]+)")?/;

/** Verb, resource and namespace from a 403 message, falling back to what the request was doing. */
export function forbiddenDetails(message: string, op: Operation): Required<Omit<Operation, 'name'>> {
  const match = FORBIDDEN.exec(message);
  return {
    verb: match?.[1] ?? op.verb,
    resource: match?.[2] ?? op.resource,
    namespace: match?.[4] ?? op.namespace ?? '(cluster scope)',
  };
}

const WRITE_VERBS = new Set(['create', 'patch', 'update', 'apply']);

/** Turns an HTTP error status into the project's typed errors. */
export function errorForStatus(op: Operation, status: number, body: unknown, cause?: unknown): Error {
  const { message = `HTTP ${status}`, reason = '' } = statusBody(body);
  const what = describeOperation(op);
  if (status === 403) {
    const d = forbiddenDetails(message, op);
    return new PermissionError(
      `missing permission: cannot ${d.verb} ${d.resource} in namespace "${d.namespace}" (while trying to ${what}): ${message}`,
      { cause },
    );
  }
  if (status === 401)
    return new ConfigError(
      'kubeconfig',
      `the API server rejected the credentials (401) while trying to ${what}`,
      {
        cause,
      },
    );
  if ((status === 422 || status === 400) && WRITE_VERBS.has(op.verb))
    return new ConfigError(
      op.name ? `${op.resource}/${op.name}` : op.resource,
      `the object is invalid: ${message}`,
      {
        cause,
      },
    );
  return new KubeApiError(op, status, reason, `${status} ${reason ? `${reason}: ` : ''}${message}`, {
    cause,
  });
}
