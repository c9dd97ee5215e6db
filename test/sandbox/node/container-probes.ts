import type { ContainerSpec, Probe } from './pod-spec.ts';
import { checkProbe, checkTcp, startProber } from './probes.ts';

export interface ContainerProbeOptions {
  podIP: string;
  /**
   * The port the process listens on, used for readiness when the container has no readinessProbe;
   * undefined for a process that binds none, which is ready once started (as on a real node).
   */
  port: number | undefined;
  timeScale: number;
  setStarted(): void;
  setReady(ready: boolean): void;
  event(type: 'Normal' | 'Warning', reason: string, message: string): void;
  /** The container failed its liveness or startup probe: restart it. */
  kill(probeKind: 'liveness' | 'startup'): void;
}

const PORT_POLL_MS = 50;

function waitForPort(options: ContainerProbeOptions): { stop(): void } {
  let stopped = false;
  const { port } = options;
  const poll = async () => {
    if (port === undefined) return options.setReady(true);
    while (!stopped) {
      const result = await checkTcp(options.podIP, port, 1000);
      if (stopped) return;
      if (result.ok) return options.setReady(true);
      await new Promise((resolve) => setTimeout(resolve, PORT_POLL_MS));
    }
  };
  void poll();
  return {
    stop() {
      stopped = true;
    },
  };
}

/**
 * Runs a running container's probes as the kubelet does: the startup probe first (if any), then
 * readiness (or, without a readinessProbe, "ready once the port accepts connections") and liveness.
 * Returns a function that stops them all.
 */
export function startContainerProbes(spec: ContainerSpec, options: ContainerProbeOptions): () => void {
  const running: Array<{ stop(): void }> = [];
  const target = { podIP: options.podIP, ports: spec.ports ?? [] };
  const prober = (probe: Probe, label: string, onSuccess: () => void, onThreshold: () => void) =>
    startProber(
      probe,
      { timeScale: options.timeScale, check: () => checkProbe(probe, target) },
      {
        onSuccessThreshold: onSuccess,
        onFailureThreshold: onThreshold,
        onFailure: (result) =>
          options.event('Warning', 'Unhealthy', `${label} probe failed: ${result.message}`),
      },
    );
  const stopAll = () => running.forEach((probe) => probe.stop());

  const startReadinessAndLiveness = () => {
    const { readinessProbe, livenessProbe } = spec;
    running.push(
      readinessProbe
        ? prober(
            readinessProbe,
            'Readiness',
            () => options.setReady(true),
            () => options.setReady(false),
          )
        : waitForPort(options),
    );
    if (livenessProbe) {
      running.push(
        prober(
          livenessProbe,
          'Liveness',
          () => {},
          () => {
            stopAll();
            options.kill('liveness');
          },
        ),
      );
    }
  };

  if (spec.startupProbe) {
    const startup = prober(
      spec.startupProbe,
      'Startup',
      () => {
        startup.stop();
        options.setStarted();
        startReadinessAndLiveness();
      },
      () => {
        stopAll();
        options.kill('startup');
      },
    );
    running.push(startup);
  } else {
    startReadinessAndLiveness();
  }
  return stopAll;
}
