import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { BackOff } from './backoff.ts';
import { spawnContainerProcess } from './container-process.ts';
import type { ContainerExit, ContainerProcess, LogBuffer } from './container-process.ts';
import { ContainerConfigError, processEnv, resolveContainerEnv } from './env.ts';
import type { ResolveRef } from './env.ts';
import { pullImage } from './image-pull.ts';
import { boundPort, podSpec, podStatusField } from './pod-spec.ts';
import type { ContainerSpec } from './pod-spec.ts';
import { kubeTime } from './pod-status.ts';
import type { ContainerStatus, TerminatedState } from './pod-status.ts';
import { startContainerProbes } from './container-probes.ts';
import type { KubeObject } from './types.ts';

/** A logs request the API server should answer with this HTTP status and message. */
export class PodLogsError extends Error {
  constructor(
    readonly statusCode: 400 | 404,
    message: string,
  ) {
    super(message);
    this.name = 'PodLogsError';
  }
}

export interface RunnerContext {
  /** The latest version of the pod object. */
  pod(): KubeObject;
  timeScale: number;
  appPath: string;
  /** What a container that binds no port runs (see boundPort). */
  idlePath: string;
  logDir: string;
  imageExists(image: string): Promise<boolean>;
  /** Images this node has pulled (its image cache, shared by its pods). */
  presentImages: Set<string>;
  resolveRef?: ResolveRef;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** Something in the container's status changed. */
  changed(): void;
}

/** Go-style rendering of a whole number of seconds, as in the kubelet's back-off messages ("40s", "5m0s"). */
export function formatBackOff(seconds: number): string {
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${seconds % 60}s`;
}

/**
 * One container of a pod, from image pull to restarts: the state machine the kubelet runs for it,
 * with Kubernetes' back-off after failed pulls, config errors and exits.
 */
export class ContainerRunner {
  private status: Omit<ContainerStatus, 'name'>;
  private readonly instances: LogBuffer[] = [];
  private current: ContainerProcess | undefined;
  private stopProbes: () => void = () => {};
  private stopped = false;
  private restartNow = false;
  private wake: () => void = () => {};
  private finished: Promise<void> = Promise.resolve();
  private lastSpec: ContainerSpec;

  constructor(
    private readonly ctx: RunnerContext,
    readonly name: string,
  ) {
    this.lastSpec = this.spec();
    this.status = {
      image: this.lastSpec.image,
      imageID: '',
      ready: false,
      started: false,
      restartCount: 0,
      state: { waiting: { reason: 'ContainerCreating' } },
      lastState: {},
    };
  }

  start(): void {
    this.finished = this.run();
  }

  snapshot(): ContainerStatus {
    const { containerID, ...rest } = this.status;
    return structuredClone({ name: this.name, ...rest, ...(containerID ? { containerID } : {}) });
  }

  /** Applies an updated pod: a changed image restarts the container at once, as the kubelet does. */
  update(): void {
    const spec = this.spec();
    if (spec.image === this.status.image) return;
    this.restartNow = true;
    if (this.current) {
      this.ctx.event('Normal', 'Killing', `Container ${this.name} definition changed, will be restarted`);
      void this.current.terminate(this.graceMs());
    } else {
      this.wake();
    }
  }

  /** Stops the container for good (SIGTERM, SIGKILL after graceMs) and ends its loop. */
  async terminate(graceMs: number): Promise<void> {
    this.stopped = true;
    this.wake();
    this.stopProbes();
    if (this.current) {
      this.ctx.event('Normal', 'Killing', `Stopping container ${this.name}`);
      await this.current.terminate(graceMs);
    }
    await this.finished;
  }

  /** Log text as `kubectl logs` sees it: the latest instance, or with `previous` the last terminated one. */
  readLogs(previous: boolean, tailLines: number | undefined): string {
    const podName = this.ctx.pod().metadata.name;
    const latest = this.instances.length - 1;
    if (previous) {
      if (!this.status.lastState.terminated) {
        throw new PodLogsError(
          400,
          `previous terminated container "${this.name}" in pod "${podName}" not found`,
        );
      }
      return this.instances[this.status.state.running ? latest - 1 : latest]?.read(tailLines) ?? '';
    }
    const instance = this.instances[latest];
    if (!instance) {
      const reason = this.status.state.waiting?.reason ?? 'ContainerCreating';
      throw new PodLogsError(
        400,
        `container "${this.name}" in pod "${podName}" is waiting to start: ${reason}`,
      );
    }
    return instance.read(tailLines);
  }

  private spec(): ContainerSpec {
    const found = podSpec(this.ctx.pod()).containers.find((container) => container.name === this.name);
    if (found) this.lastSpec = found;
    return this.lastSpec;
  }

  private scaledMs(seconds: number): number {
    return seconds * 1000 * this.ctx.timeScale;
  }

  private graceMs(): number {
    return this.scaledMs(podSpec(this.ctx.pod()).terminationGracePeriodSeconds ?? 30);
  }

  private podRef(): string {
    const { name, namespace, uid } = this.ctx.pod().metadata;
    return `${name}_${namespace ?? 'default'}(${uid ?? ''})`;
  }

  private setWaiting(reason: string, message?: string): void {
    this.status.state = { waiting: { reason, ...(message ? { message } : {}) } };
    this.status.ready = false;
    this.status.started = false;
    this.ctx.changed();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  private async run(): Promise<void> {
    const pullBackOff = new BackOff();
    const configBackOff = new BackOff();
    const crashBackOff = new BackOff();
    while (!this.stopped) {
      const spec = this.spec();
      this.status.image = spec.image;
      this.restartNow = false;
      if (!(await this.pull(spec))) {
        if (this.stopped) break;
        const delay = pullBackOff.fail();
        await this.sleep(Math.min(this.scaledMs(1), this.scaledMs(delay)));
        if (this.stopped || this.restartNow) continue;
        const message = `Back-off pulling image "${spec.image}"`;
        this.setWaiting('ImagePullBackOff', message);
        this.ctx.event('Normal', 'BackOff', message);
        this.ctx.event('Warning', 'Failed', 'Error: ImagePullBackOff');
        await this.sleep(this.scaledMs(delay - 1));
        continue;
      }
      pullBackOff.reset();
      let env: Record<string, string>;
      let port: number | undefined;
      try {
        const pod = this.ctx.pod();
        const own = await resolveContainerEnv(pod, spec, this.ctx.resolveRef);
        env = processEnv(pod, spec, own);
        port = boundPort(spec, own);
      } catch (error) {
        if (!(error instanceof ContainerConfigError)) throw error;
        this.setWaiting('CreateContainerConfigError', error.message);
        this.ctx.event('Warning', 'Failed', `Error: ${error.message}`);
        await this.sleep(this.scaledMs(configBackOff.fail()));
        continue;
      }
      configBackOff.reset();
      if (this.stopped) break;
      if (this.restartNow) continue;
      const terminated = this.toTerminated(await this.runInstance(spec, env, port));
      if (this.stopped) {
        this.status.state = { terminated };
        break;
      }
      const policy = podSpec(this.ctx.pod()).restartPolicy ?? 'Always';
      if (policy === 'Never' || (policy === 'OnFailure' && terminated.exitCode === 0)) {
        this.status.state = { terminated };
        this.ctx.changed();
        return;
      }
      this.status.lastState = { terminated };
      if (this.restartNow) continue;
      const ranSeconds = (Date.parse(terminated.finishedAt) - Date.parse(terminated.startedAt)) / 1000;
      const delay = crashBackOff.fail(ranSeconds / this.ctx.timeScale);
      this.setWaiting(
        'CrashLoopBackOff',
        `back-off ${formatBackOff(delay)} restarting failed container=${this.name} pod=${this.podRef()}`,
      );
      this.ctx.event(
        'Warning',
        'BackOff',
        `Back-off restarting failed container ${this.name} in pod ${this.podRef()}`,
      );
      await this.sleep(this.scaledMs(delay));
    }
  }

  private async pull(spec: ContainerSpec): Promise<boolean> {
    const outcome = await pullImage(spec, {
      ...this.ctx,
      onPulling: () => this.setWaiting('ContainerCreating'),
    });
    if (this.stopped) return false;
    if ('imageID' in outcome) {
      this.status.imageID = outcome.imageID;
      return true;
    }
    this.setWaiting(outcome.waiting.reason, outcome.waiting.message);
    return false;
  }

  private async runInstance(
    spec: ContainerSpec,
    env: Record<string, string>,
    port: number | undefined,
  ): Promise<ContainerExit> {
    if (this.instances.length > 0) this.status.restartCount += 1;
    const process = spawnContainerProcess({
      appPath: port === undefined ? this.ctx.idlePath : this.ctx.appPath,
      env,
      logFile: join(this.ctx.logDir, `${this.status.restartCount}.log`),
    });
    this.current = process;
    this.instances.push(process.logs);
    if (this.instances.length > 2) this.instances.shift();
    this.status.containerID = `containerd://${randomBytes(32).toString('hex')}`;
    this.status.state = { running: { startedAt: kubeTime(process.startedAt) } };
    this.status.ready = false;
    this.status.started = !spec.startupProbe;
    this.ctx.event('Normal', 'Created', `Created container ${this.name}`);
    this.ctx.event('Normal', 'Started', `Started container ${this.name}`);
    this.ctx.changed();

    this.stopProbes = startContainerProbes(spec, {
      podIP: podStatusField(this.ctx.pod(), 'podIP') ?? '127.0.0.1',
      port,
      timeScale: this.ctx.timeScale,
      setStarted: () => this.setFlag('started', true),
      setReady: (ready) => this.setFlag('ready', ready),
      event: this.ctx.event,
      kill: (probeKind) => {
        this.ctx.event(
          'Normal',
          'Killing',
          `Container ${this.name} failed ${probeKind} probe, will be restarted`,
        );
        void process.terminate(this.graceMs());
      },
    });
    const exit = await process.exited;
    this.stopProbes();
    this.current = undefined;
    this.status.ready = false;
    this.status.started = false;
    return exit;
  }

  private setFlag(flag: 'ready' | 'started', value: boolean): void {
    if (this.status[flag] === value || !this.status.state.running) return;
    this.status[flag] = value;
    this.ctx.changed();
  }

  private toTerminated(exit: ContainerExit): TerminatedState {
    return {
      exitCode: exit.exitCode,
      reason: exit.exitCode === 0 ? 'Completed' : 'Error',
      startedAt: this.status.state.running?.startedAt ?? kubeTime(exit.finishedAt),
      finishedAt: kubeTime(exit.finishedAt),
      ...(this.status.containerID ? { containerID: this.status.containerID } : {}),
    };
  }
}
