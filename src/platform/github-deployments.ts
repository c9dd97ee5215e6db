/**
 * A GitHub Deployment for the canary's environment, with statuses in_progress → success / failure /
 * error carrying the environment URL and the run's log URL.
 *
 * Not fighting a job-level `environment:`: a job that declares `environment:` already gets a Deployment
 * from GitHub, whose statuses GitHub posts itself. A second Deployment for the same environment would
 * make GitHub mark the job's one inactive when ours succeeds. The rule is therefore: the action creates
 * a Deployment only when the `environment` input is set (and a token is given); a workflow that uses a
 * job-level `environment:` leaves the input empty, and `jobEnvironment` (when the caller knows the job's
 * environment) turns creation off for that same name.
 *
 * A Deployment is a report, not the release: an API error is passed to `onError` and never thrown.
 */

export type DeploymentState = 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface DeploymentOptions {
  token: string;
  /** The `environment` input; empty: no Deployment. */
  environment: string;
  /** The job-level `environment:` name, when the caller knows it: the same name means no Deployment. */
  jobEnvironment?: string;
  owner: string;
  repo: string;
  /** The commit deployed (GITHUB_SHA). */
  sha: string;
  /** The run's URL, posted as each status's log_url. */
  runUrl?: string;
  /** Where the environment can be reached, posted as environment_url. */
  environmentUrl?: string;
  description?: string;
  /** GITHUB_API_URL (GitHub Enterprise Server) or a test server. */
  baseUrl?: string;
  /** Overrides the fetch used (tests); default: @actions/github's proxy-aware fetch. */
  fetch?: typeof fetch;
  onError?: (message: string) => void;
}

export interface DeploymentTracker {
  /** The Deployment's id; undefined when none was created. */
  readonly id: number | undefined;
  setStatus(state: DeploymentState, description?: string): Promise<void>;
}

const NONE: DeploymentTracker = { id: undefined, setStatus: async () => undefined };

/** GitHub caps a status description at 140 characters. */
const shorten = (text: string) => (text.length > 140 ? `${text.slice(0, 139)}…` : text);

export const isProductionEnvironment = (environment: string) =>
  environment.trim().toLowerCase() === 'production';

export function shouldCreateDeployment(
  options: Pick<DeploymentOptions, 'token' | 'environment' | 'jobEnvironment'>,
) {
  const environment = options.environment.trim();
  if (!options.token || !environment) return false;
  return options.jobEnvironment?.trim() !== environment;
}

/** Creates the Deployment and posts `in_progress`; the returned tracker posts the final status. */
export async function startDeployment(options: DeploymentOptions): Promise<DeploymentTracker> {
  if (!shouldCreateDeployment(options)) return NONE;
  const report = (what: string, error: unknown) =>
    options.onError?.(`GitHub Deployment: ${what} failed: ${(error as Error).message ?? String(error)}`);
  // Loaded only when a Deployment is made: the action's other paths start without Octokit.
  const { getOctokit } = await import('@actions/github');
  const octokit = getOctokit(options.token, {
    ...(options.baseUrl ? { baseUrl: options.baseUrl } : {}),
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
  });
  const { owner, repo } = options;
  const environment = options.environment.trim();
  let id: number;
  try {
    const response = await octokit.rest.repos.createDeployment({
      owner,
      repo,
      ref: options.sha,
      environment,
      auto_merge: false,
      required_contexts: [],
      transient_environment: false,
      production_environment: isProductionEnvironment(environment),
      description: shorten(options.description ?? 'canary-action release'),
    });
    if (response.status !== 201 || !('id' in response.data)) {
      report('creating the deployment', new Error(`HTTP ${response.status}`));
      return NONE;
    }
    id = response.data.id;
  } catch (error) {
    report('creating the deployment', error);
    return NONE;
  }
  const tracker: DeploymentTracker = {
    id,
    async setStatus(state, description) {
      try {
        await octokit.rest.repos.createDeploymentStatus({
          owner,
          repo,
          deployment_id: id,
          state,
          ...(options.runUrl ? { log_url: options.runUrl } : {}),
          ...(options.environmentUrl ? { environment_url: options.environmentUrl } : {}),
          ...(description ? { description: shorten(description) } : {}),
        });
      } catch (error) {
        report(`posting status ${state}`, error);
      }
    },
  };
  await tracker.setStatus('in_progress', 'canary started');
  return tracker;
}

/** The final status for a release outcome: promoted → success, rolled back → failure, anything broken → error. */
export function deploymentStateFor(exitCode: number): DeploymentState {
  if (exitCode === 0) return 'success';
  if (exitCode === 1 || exitCode === 3) return 'failure';
  return 'error';
}
