/** Turns a failed builder run into the right typed error: the user's Containerfile (2) or infrastructure (4). */
import { BackendError, ConfigError, type CanaryError } from '../util/errors.ts';
import { RegistryAuthError } from './registry-client.ts';
import { lastLines } from './runner.ts';

const NETWORK =
  /dial tcp|connection refused|connection reset|i\/o timeout|no such host|TLS handshake|server misbehaving|pinging container registry|failed to do request|network is unreachable|50[234] (Bad Gateway|Service Unavailable|Gateway Timeout)/i;
const AUTH =
  /unauthorized|authentication required|requested access to the resource is denied|insufficient_scope|denied:/i;
/** buildah (`building at STEP`, imagebuilder parse errors) and BuildKit (`failed to solve` on a step). */
const CONTAINERFILE =
  /building at STEP|Unknown instruction|dockerfile parse error|parse error on line|failed to parse|did not complete successfully|failed to compute cache key|failed to read dockerfile|no build stage|target stage .* could not be found|invalid reference format|error building at|COPY failed/i;

export type BuilderStep = 'build' | 'push';

export function builderFailure(
  tool: string,
  step: BuilderStep,
  code: number | null,
  output: string,
): CanaryError {
  const text = lastLines(output) || '(no output)';
  const message = `${tool} ${step} failed (${code === null ? 'killed' : `exit ${code}`}):\n${text}`;
  if (NETWORK.test(output)) return new BackendError(message);
  if (AUTH.test(output)) return new RegistryAuthError('--registry-username', message);
  if (step === 'build' && CONTAINERFILE.test(output)) return new ConfigError('--file', message);
  return new BackendError(message);
}
