/**
 * Faults injected from outside while a release runs: the API cut (the kubeconfig points at a TCP proxy
 * the case cuts and restores: refused, partitioned, slowed), API errors, Prometheus killed and
 * restarted or cut off, the sandbox's API server restarted, signals at each phase, a SIGKILLed run
 * followed by `rollback`, `status`, a second run or `cleanup`, two runs where one loses its lease,
 * and outputs that cannot be written. Handled right: the run ends in a consistent state (the stable
 * the old or the new version, nothing of a finished run left) that its exit code and report describe
 * truthfully — plus what each case expects of that end (a blip ridden out, exit 130 on a signal …).
 *
 * Phases are recognised from outside: the CLI's output ("applied Deployment web-canary", "applied
 * Deployment web", "rolling back"), the Lease, and the phase annotation the run records on its canary.
 */
import path from 'node:path';
import { nodeWarnings } from '../inspect/messages.ts';
import { sleep, type Case, type CaseContext, type Release, type ReleaseOptions } from '../harness.ts';
import type { CliRun } from '../cli-process.ts';
import type { Expectation } from '../inspect/judge.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- configs and manifests are loose JSON */

function fault(spec: Omit<Case, 'category' | 'timeoutMs'> & { timeoutMs?: number }): Case {
  return { category: 'fault', timeoutMs: 240_000, ...spec };
}

/** Steady traffic through the namespace's Service for the case's length. */
function traffic(ctx: CaseContext): void {
  const generator = ctx.env.traffic(ctx.ns);
  ctx.onCleanup(() => generator.stop());
}

/**
 * Config settings every fault case adds: a short rollback deadline and retry budgets, so that cases
 * where the API never comes back end in seconds rather than minutes.
 */
const FAST_GIVE_UP = (config: any): void => {
  config.rollbackDeadline = '45s';
  // Longer than the blips the cases expect to be ridden out (20 s API cuts, 10 s Prometheus cuts).
  config.apiRetryBudget = '30s';
  config.analysis.provider.retryBudget = '5s';
  config.analysis.provider.outage = '30s';
};

/** How long the harness lets a run take before it kills it (and records a hang). */
const RUN_LIMIT_MS = 200_000;

const LINE = {
  firstApply: /^applied Deployment web-baseline$/m,
  canaryApplied: /^applied Deployment web-canary$/m,
  stableApplied: /^applied Deployment web$/m,
  rollingBack: /rolling back|^== Roll back/m,
  restoring: /promotion failed, restoring/,
  preflight: /^== Preflight/m,
};

/** A release for a fault case: traffic on, through the case's API proxy, the given settings. */
async function start(
  ctx: CaseContext,
  options: ReleaseOptions & { recordChanges?: boolean } = {},
): Promise<{ release: Release; run: CliRun }> {
  traffic(ctx);
  const mutate = options.config?.mutate;
  const release = await ctx.release({
    ...options,
    config: {
      ...options.config,
      mutate: (c) => {
        FAST_GIVE_UP(c);
        mutate?.(c);
      },
    },
  });
  const run = ctx.cli(release.args, {
    timeoutMs: RUN_LIMIT_MS,
    recordChanges: options.recordChanges ?? false,
  });
  return { release, run };
}

/** A run that must change nothing at any time (a change undone later counts too). */
function noChange(ctx: CaseContext, why = ''): void {
  const change = ctx.firstChange;
  if (change) ctx.problem(`changed the cluster (${change.key} ${change.what})${why ? `: ${why}` : ''}`);
}

/** Runs to the end and judges exit code, report and cluster together. */
async function finish(
  ctx: CaseContext,
  release: Pick<Release, 'image' | 'report'>,
  run: CliRun,
  expect: Expectation = {},
): Promise<void> {
  const exit = await run.exited;
  await ctx.env.sandbox.settle();
  await ctx.judge(exit, release, expect);
}

/** A readiness probe that holds the pods unready for ~5 s (25 s × the sandbox's time scale 0.2). */
const slowReady = (docs: any[]) => {
  docs[docs.length - 1].spec.template.spec.containers[0].readinessProbe.initialDelaySeconds = 25;
};

/** An analysis that lasts `seconds` (min = max), passing under onInconclusive: pass. */
const lasting = (seconds: number) => ({ minDuration: `${seconds}s`, maxDuration: `${seconds}s` });

/** Cut the case's API proxy when `trigger` resolves; restore after `forMs` (never when undefined). */
async function cutApi(
  ctx: CaseContext,
  trigger: Promise<void>,
  forMs: number | undefined,
  mode: 'refuse' | 'blackhole' = 'refuse',
): Promise<void> {
  await trigger;
  const proxy = await ctx.apiProxy();
  await proxy.cut(mode);
  ctx.note(`API cut (${mode})${forMs === undefined ? ' for good' : ` for ${forMs / 1000} s`}`);
  if (forMs !== undefined) {
    await sleep(forMs);
    await proxy.restore();
  }
}

const apiCuts: Case[] = [
  fault({
    id: 'fault.api.down-at-start',
    item: 5,
    does: 'the API is unreachable (connections refused) from the start',
    expects: 'exit 4 after the retry budget, nothing changed, report "failed"',
    async run(ctx) {
      await (await ctx.apiProxy()).cut('refuse');
      const { release, run } = await start(ctx, { recordChanges: true });
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
      noChange(ctx);
    },
  }),
  fault({
    id: 'fault.api.blip-at-start-10s',
    item: 5,
    does: 'the API refuses connections for the first 10 s of the run',
    expects: 'the blip ridden out: exit 0, promoted',
    async run(ctx) {
      await (await ctx.apiProxy()).cut('refuse');
      const { release, run } = await start(ctx);
      await sleep(10_000);
      await (await ctx.apiProxy()).restore();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-after-lock-10s',
    item: 5,
    does: 'the API is cut for 10 s right after the run took its Lease',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await cutApi(
        ctx,
        ctx.until('the Lease', () => ctx.lease() !== undefined, 60_000, run),
        10_000,
      );
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-at-deploy-20s',
    item: 5,
    does: 'the API is cut for 20 s after the first object was applied',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await cutApi(ctx, ctx.output(run, LINE.firstApply), 20_000);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-at-deploy-for-good',
    item: 3,
    does: 'the API is cut for good after the first object was applied',
    expects: 'exit 4; the report says the rollback could not finish and names what is left',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await cutApi(ctx, ctx.output(run, LINE.firstApply), undefined);
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.api.cut-during-wait-20s',
    item: 5,
    does: 'the API is cut for 20 s while canary and baseline become ready',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await cutApi(ctx, ctx.output(run, LINE.canaryApplied), 20_000);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-during-analysis-20s',
    item: 5,
    does: 'the API is cut for 20 s during a 25 s analysis',
    expects: 'ridden out (the Lease outlives 20 s): exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(25) });
      await cutApi(ctx, ctx.phase('analysing', run), 20_000);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-during-analysis-for-good',
    item: 3,
    does: 'the API is cut for good during the analysis',
    expects: 'exit 4; not promoted; the report names what is left (rollback-incomplete)',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(20) });
      await cutApi(ctx, ctx.phase('analysing', run), undefined);
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.api.partition-during-analysis-45s',
    item: 1,
    does: 'a 45 s partition (nothing flows, nothing closes) during a 60 s analysis: the Lease expires',
    expects: 'the run sees its Lease lost: exit 4, not promoted, touches nothing more; the report says so',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(60) });
      await cutApi(ctx, ctx.phase('analysing', run), 45_000, 'blackhole');
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.api.cut-at-promotion-10s',
    item: 5,
    does: 'the API is cut for 10 s right after the promotion applied Deployment web',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await cutApi(ctx, ctx.output(run, LINE.stableApplied), 10_000);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.cut-at-promotion-for-good',
    item: 3,
    does: 'the API is cut for good right after the promotion applied Deployment web',
    expects: 'exit 4; the report says the stable runs the new image and names what is left',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await cutApi(ctx, ctx.output(run, LINE.stableApplied), undefined);
      await finish(ctx, release, run, { exit: [4] });
    },
  }),
  fault({
    id: 'fault.api.cut-during-rollback-20s',
    item: 3,
    does: 'a failing canary (30% errors); the API is cut for 20 s as the rollback starts',
    expects: 'the rollback retries until done: exit 1, rolled back, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, {
        config: { ...lasting(30), onInconclusive: 'fail' },
        manifests: { env: { DEMO_ERROR_RATE: '0.3' } },
      });
      await cutApi(ctx, ctx.output(run, LINE.rollingBack), 20_000);
      await finish(ctx, release, run, { exit: [1], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.api.cut-during-rollback-for-good',
    item: 3,
    does: 'a failing canary; the API is cut for good as the rollback starts',
    expects: 'exit 1 or 4; the report says the rollback could not finish and names what is left',
    async run(ctx) {
      const { release, run } = await start(ctx, {
        config: { ...lasting(30), onInconclusive: 'fail' },
        manifests: { env: { DEMO_ERROR_RATE: '0.3' } },
      });
      await cutApi(ctx, ctx.output(run, LINE.rollingBack), undefined);
      await finish(ctx, release, run, { exit: [1, 4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.api.slow-150ms',
    does: 'every chunk to and from the API delayed by 150 ms for the whole run',
    expects: 'exit 0, promoted',
    async run(ctx) {
      (await ctx.apiProxy()).delay(150);
      const { release, run } = await start(ctx);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.errors-503-30pct',
    does: "30% of the API's answers in the namespace are 503 for the whole run",
    expects: 'retried: exit 0, promoted',
    async run(ctx) {
      const remove = ctx.env.sandbox.faults.add({
        path: `/namespaces/${ctx.namespace}/`,
        errorRate: 0.3,
        status: 503,
      });
      ctx.onCleanup(remove);
      const { release, run } = await start(ctx);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.api.throttled-429-30pct',
    does: '30% of the API requests in the namespace throttled (429) for the whole run',
    expects: 'retried: exit 0, promoted',
    async run(ctx) {
      const remove = ctx.env.sandbox.faults.add({
        path: `/namespaces/${ctx.namespace}/`,
        errorRate: 0.3,
        status: 429,
      });
      ctx.onCleanup(remove);
      const { release, run } = await start(ctx);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
];

/** Kills Prometheus now; the case's clean-up starts it again if the case did not. */
async function killPrometheus(ctx: CaseContext): Promise<void> {
  ctx.onCleanup(() => ctx.env.prometheus.start());
  await ctx.env.prometheus.kill();
}

const prometheus: Case[] = [
  fault({
    id: 'fault.prometheus.restart-5s',
    item: 5,
    exclusive: true,
    does: 'Prometheus killed during a 20 s analysis and started again 5 s later',
    expects: 'the polls without data are "no data": exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(20) });
      await ctx.phase('analysing', run);
      await sleep(2_000);
      await killPrometheus(ctx);
      await sleep(5_000);
      await ctx.env.prometheus.start();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.prometheus.down-60s',
    item: 5,
    exclusive: true,
    does: 'Prometheus killed for 60 s during a 30 s analysis (onInconclusive: fail)',
    expects: 'a sustained outage: exit 3 or 4, rolled back, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: { ...lasting(30), onInconclusive: 'fail' } });
      await ctx.phase('analysing', run);
      await sleep(2_000);
      await killPrometheus(ctx);
      await Promise.race([sleep(60_000), run.exited]);
      await ctx.env.prometheus.start();
      await finish(ctx, release, run, { exit: [3, 4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.prometheus.down-at-start',
    item: 7,
    exclusive: true,
    does: 'Prometheus is down when the run starts (and stays down)',
    expects: 'found in preflight: exit 4, nothing changed',
    async run(ctx) {
      await killPrometheus(ctx);
      const { release, run } = await start(ctx, { recordChanges: true });
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
      noChange(ctx, 'the provider was not checked before the first change');
    },
  }),
  fault({
    id: 'fault.prometheus.network-cut-10s',
    item: 5,
    exclusive: true,
    does: 'connections to Prometheus refused for 10 s during a 20 s analysis',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(20) });
      await ctx.phase('analysing', run);
      await sleep(2_000);
      await ctx.env.prometheusProxy.cut('refuse');
      ctx.onCleanup(() => ctx.env.prometheusProxy.restore());
      await sleep(10_000);
      await ctx.env.prometheusProxy.restore();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.prometheus.partition-15s',
    item: 5,
    exclusive: true,
    does: 'Prometheus partitioned (requests hang) for 15 s during a 25 s analysis',
    expects: 'ridden out: exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(25) });
      await ctx.phase('analysing', run);
      await sleep(2_000);
      await ctx.env.prometheusProxy.cut('blackhole');
      ctx.onCleanup(() => ctx.env.prometheusProxy.restore());
      await sleep(15_000);
      await ctx.env.prometheusProxy.restore();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
];

const apiServer: Case[] = [
  fault({
    id: 'fault.apiserver.restart-at-deploy',
    exclusive: true,
    does: "the sandbox's API server restarted after the first object was applied",
    expects: 'exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await ctx.output(run, LINE.firstApply);
      await ctx.env.sandbox.restartApiServer();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.apiserver.restart-during-analysis',
    exclusive: true,
    does: "the sandbox's API server restarted during the analysis",
    expects: 'exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(10) });
      await ctx.phase('analysing', run);
      await ctx.env.sandbox.restartApiServer();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.apiserver.restart-at-promotion',
    exclusive: true,
    does: "the sandbox's API server restarted right after the promotion applied Deployment web",
    expects: 'exit 0, promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await ctx.output(run, LINE.stableApplied);
      await ctx.env.sandbox.restartApiServer();
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
];

/** Sends `signals` (spaced by `gapMs`) once `trigger` resolved; then runs to the end. */
async function signal(
  ctx: CaseContext,
  run: CliRun,
  trigger: Promise<void>,
  signals: NodeJS.Signals[],
  gapMs = 100,
): Promise<void> {
  await trigger;
  const sent = Date.now();
  for (const [i, name] of signals.entries()) {
    if (i > 0) await sleep(gapMs);
    run.kill(name);
  }
  void run.exited.then(() =>
    ctx.note(`sent ${signals.join(', ')}; exited ${Date.now() - sent} ms after the first`),
  );
}

const interrupted: Expectation = { exit: [130], stable: ['unchanged'] };

const signals: Case[] = [
  fault({
    id: 'fault.signal.sigint-preflight',
    item: 6,
    does: 'SIGINT during preflight',
    expects: 'exit 130, nothing changed, the report says so',
    async run(ctx) {
      const { release, run } = await start(ctx, { recordChanges: true });
      await signal(ctx, run, ctx.output(run, LINE.preflight), ['SIGINT'], 0);
      await finish(ctx, release, run, interrupted);
      noChange(ctx);
    },
  }),
  fault({
    id: 'fault.signal.sigterm-lock',
    item: 6,
    does: 'SIGTERM right after the run took its Lease',
    expects: 'exit 130, nothing of the run left (the Lease released)',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await signal(
        ctx,
        run,
        ctx.until('the Lease', () => ctx.lease() !== undefined, 60_000, run),
        ['SIGTERM'],
      );
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigint-deploy',
    item: 6,
    does: 'SIGINT after the first object was applied',
    expects: 'exit 130, rolled back, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await signal(ctx, run, ctx.output(run, LINE.firstApply), ['SIGINT']);
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigterm-wait',
    item: 6,
    does: 'SIGTERM while canary and baseline become ready',
    expects: 'exit 130, rolled back, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await ctx.output(run, LINE.canaryApplied);
      await signal(
        ctx,
        run,
        sleep(1_000).then(() => undefined),
        ['SIGTERM'],
      );
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigint-analysis',
    item: 6,
    does: 'SIGINT during the analysis',
    expects: 'exit 130, rolled back, nothing left, report "rolled-back"',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(30) });
      await signal(ctx, run, ctx.phase('analysing', run), ['SIGINT']);
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigint-twice-analysis',
    item: 6,
    does: 'SIGINT during the analysis, a second one 100 ms later (during the rollback)',
    expects: 'the second acknowledged and ignored: exit 130, rolled back, nothing left, report written',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(30) });
      await signal(ctx, run, ctx.phase('analysing', run), ['SIGINT', 'SIGINT']);
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigterm-thrice-analysis',
    item: 6,
    does: 'three SIGTERMs 50 ms apart during the analysis',
    expects: 'exit 130; rolled back, or (forced) what is left named on stderr',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(30) });
      await signal(ctx, run, ctx.phase('analysing', run), ['SIGTERM', 'SIGTERM', 'SIGTERM'], 50);
      // Forced out by the third signal, the run writes no report: stderr must name what is left.
      const exit = await run.exited;
      await ctx.env.sandbox.settle();
      const forced = /a third time: exiting now/.test(exit.stderr);
      if (forced) ctx.note('forced out by the third signal (no report; stderr names what is left)');
      await ctx.judge(exit, release, {
        exit: [130],
        stable: ['unchanged'],
        ...(forced ? { reportRequired: false } : {}),
      });
    },
  }),
  fault({
    id: 'fault.signal.sigint-promotion',
    item: 6,
    does: 'SIGINT right after the promotion applied Deployment web',
    expects: 'the stable restored: exit 130, stable as before, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await signal(ctx, run, ctx.output(run, LINE.stableApplied), ['SIGINT'], 0);
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigint-twice-promotion',
    item: 6,
    does: 'SIGINT after the promotion applied Deployment web, a second one during the restore',
    expects: 'the second ignored: exit 130, stable restored, nothing left, report written',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await signal(ctx, run, ctx.output(run, LINE.stableApplied), ['SIGINT'], 0);
      await signal(ctx, run, ctx.output(run, LINE.restoring), ['SIGINT'], 0);
      await finish(ctx, release, run, interrupted);
    },
  }),
  fault({
    id: 'fault.signal.sigterm-during-rollback',
    item: 6,
    does: 'a failing canary; SIGTERM as its rollback starts',
    expects: 'the rollback finishes: exit 1 or 130, rolled back, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, {
        config: { ...lasting(30), onInconclusive: 'fail' },
        manifests: { env: { DEMO_ERROR_RATE: '0.3' } },
      });
      await signal(ctx, run, ctx.output(run, LINE.rollingBack), ['SIGTERM'], 0);
      await finish(ctx, release, run, { exit: [1, 130], stable: ['unchanged'] });
    },
  }),
];

/** SIGKILLs the run once `trigger` resolved and waits for it to die. */
async function sigkill(ctx: CaseContext, run: CliRun, trigger: Promise<void>): Promise<void> {
  await trigger;
  run.kill('SIGKILL');
  await run.exited;
  ctx.note('SIGKILLed the run');
}

/** The arguments of a management command (rollback, status, cleanup …) for the case's release. */
const manage = (release: Release, command: string, ...extra: string[]) => [
  command,
  '--config',
  release.config,
  '--kubeconfig',
  release.kubeconfig,
  ...extra,
];

const killed: Case[] = [
  fault({
    id: 'fault.sigkill.promotion-then-rollback',
    item: 6,
    does: 'SIGKILL right after the promotion applied Deployment web, then `rollback`',
    expects:
      'rollback restores the previous stable and removes the rest: exit 0, stable as before, nothing left',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await sigkill(ctx, run, ctx.output(run, LINE.stableApplied));
      const exit = await ctx.run(manage(release, 'rollback', '--lock-wait', '90s'), { timeoutMs: 150_000 });
      await ctx.env.sandbox.settle();
      const end = ctx.end(release.image);
      ctx.check(exit.code === 0, `rollback exited ${exit.code}`);
      ctx.check(
        end.stable === 'unchanged',
        `after rollback the stable is ${end.stable} (${end.stableImages.join(', ')})`,
      );
      ctx.check(end.leftovers.length === 0, `after rollback ${end.leftovers.join(', ')} left`);
      if (end.stable !== 'unchanged' && /untouched/.test(exit.stdout))
        ctx.inconsistent('rollback says "deployment/web untouched" while the stable runs the new image');
    },
  }),
  fault({
    id: 'fault.sigkill.promotion-then-status',
    item: 6,
    does: 'SIGKILL right after the promotion applied Deployment web, then `status`',
    expects: 'status says the run holding the release is gone (not just "promoting")',
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { mutate: slowReady } });
      await sigkill(ctx, run, ctx.output(run, LINE.stableApplied));
      await sleep(2_000);
      const exit = await ctx.run(manage(release, 'status'));
      ctx.check(exit.code === 0, `status exited ${exit.code}`);
      ctx.check(
        /gone|dead|not running|no longer|expired|stale|abandoned|killed/i.test(exit.stdout + exit.stderr),
        `status does not say the run is gone: ${JSON.stringify(exit.stdout.trim().slice(0, 300))}`,
      );
    },
  }),
  fault({
    id: 'fault.sigkill.analysis-then-new-run',
    does: 'SIGKILL during the analysis, then a new run of another revision',
    expects: "the new run takes the expired Lease over, removes the dead run's canary and promotes: exit 0",
    async run(ctx) {
      const first = await start(ctx, { config: lasting(30) });
      await sigkill(ctx, first.run, ctx.phase('analysing', first.run));
      const second = await ctx.release({
        tag: '2.1.0',
        runId: 'second',
        revision: 'faults2',
        config: { lockWait: '90s', mutate: FAST_GIVE_UP },
      });
      const exit = await ctx.run(second.args, { timeoutMs: RUN_LIMIT_MS });
      await ctx.env.sandbox.settle();
      await ctx.judge(exit, second, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.sigkill.analysis-then-cleanup',
    does: 'SIGKILL during the analysis, then `cleanup --run-id` of that run',
    expects: 'exit 0, nothing of the run left, the stable as before',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(30) });
      await sigkill(ctx, run, ctx.phase('analysing', run));
      const runId = release.args[release.args.indexOf('--run-id') + 1]!;
      const exit = await ctx.run(manage(release, 'cleanup', '--run-id', runId, '--lock-wait', '90s'), {
        timeoutMs: 150_000,
      });
      await ctx.env.sandbox.settle();
      const end = ctx.end(release.image);
      ctx.check(exit.code === 0, `cleanup exited ${exit.code}`);
      ctx.check(end.stable === 'unchanged', `the stable is ${end.stable}`);
      ctx.check(end.leftovers.length === 0, `after cleanup ${end.leftovers.join(', ')} left`);
    },
  }),
];

const lease: Case[] = [
  fault({
    id: 'fault.lease.lost-to-second-run',
    item: 1,
    timeoutMs: 300_000,
    does: 'run A partitioned from the API mid-analysis until run B took the expired Lease and is analysing; then A reconnects',
    expects:
      'never both act: A exits 4 "lease lost" without touching B\'s objects; B promotes; the stable runs B\'s image',
    async run(ctx) {
      traffic(ctx);
      // A: through the proxy, a long analysis; B: straight to the API server, another image.
      const a = await ctx.release({
        runId: 'A',
        revision: 'runA',
        config: { ...lasting(50), mutate: FAST_GIVE_UP },
      });
      const b = await ctx.release({
        runId: 'B',
        tag: '2.1.0',
        revision: 'runB',
        proxy: false,
        config: { ...lasting(20), lockWait: '120s', mutate: FAST_GIVE_UP },
      });
      const runA = ctx.cli(a.args, { timeoutMs: RUN_LIMIT_MS });
      await ctx.phase('analysing', runA);
      await (await ctx.apiProxy()).cut('blackhole');
      const runB = ctx.cli(b.args, { timeoutMs: RUN_LIMIT_MS });
      await ctx.until(
        "B's canary analysing",
        () =>
          ctx.canary()?.metadata?.annotations?.['canary-action.dev/run-id'] === 'B' &&
          ctx.canary()?.metadata?.annotations?.['canary-action.dev/phase'] === 'analysing',
        150_000,
        runB,
      );
      await (await ctx.apiProxy()).restore();
      ctx.note("A reconnected while B's canary was analysing");
      const [exitA, exitB] = await Promise.all([runA.exited, runB.exited]);
      await ctx.env.sandbox.settle();
      const end = ctx.end(b.image);
      ctx.note(`A exit ${exitA.code}, B exit ${exitB.code}, stable ${end.stableImages.join(',')}`);
      if (exitA.code === 0 && exitB.code === 0)
        ctx.inconsistent('both runs exited 0: both acted after the Lease was lost');
      ctx.check(exitA.code === 4, `A exited ${exitA.code}, expected 4 (lease lost)`);
      ctx.check(/lease/i.test(exitA.stderr), 'A does not say it lost its Lease');
      ctx.check(exitB.code === 0, `B exited ${exitB.code}, expected 0 (promoted)`);
      ctx.check(
        end.stable === 'promoted',
        `the stable runs ${end.stableImages.join(',')}, not B's ${b.image}`,
      );
      const reportA = (await ctx.readReport(a.report)).report;
      if (reportA?.outcome === 'promoted' && end.stable === 'promoted')
        ctx.inconsistent(`A's report says "promoted" (${a.image}) while the stable runs B's ${b.image}`);
      // B is the run that holds the Lease: its end is judged as any run's.
      await ctx.judge(exitB, b, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.lease.deleted-mid-analysis',
    item: 1,
    does: 'someone deletes the Lease during the analysis',
    expects: 'the run sees its Lease lost: exit 4, not promoted; the report names what is left',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(20) });
      await ctx.phase('analysing', run);
      const res = await ctx.env.api(
        'DELETE',
        `/apis/coordination.k8s.io/v1/namespaces/${ctx.namespace}/leases/web-canary-lock`,
      );
      ctx.check(res.status === 200, `deleting the Lease: ${res.status}`);
      await finish(ctx, release, run, { exit: [4], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.lease.taken-mid-analysis',
    item: 1,
    does: 'another holder writes itself into the Lease during the analysis',
    expects: 'exit 4 "lease lost", not promoted, nothing more touched; the report names what is left',
    async run(ctx) {
      const { release, run } = await start(ctx, { config: lasting(20) });
      await ctx.phase('analysing', run);
      const leasePath = `/apis/coordination.k8s.io/v1/namespaces/${ctx.namespace}/leases/web-canary-lock`;
      const current = (await ctx.env.api('GET', leasePath)).json;
      const now = new Date().toISOString().replace(/Z$/, '000Z');
      const res = await ctx.env.api('PUT', leasePath, {
        ...current,
        spec: { ...current.spec, holderIdentity: 'someone-else/host/1', acquireTime: now, renewTime: now },
      });
      ctx.check(res.status === 200, `taking the Lease: ${res.status} ${res.text.slice(0, 200)}`);
      await finish(ctx, release, run, {
        exit: [4],
        stable: ['unchanged'],
        notOurs: ['Lease/web-canary-lock'],
      });
    },
  }),
];

const outputs: Case[] = [
  fault({
    id: 'fault.output.report-missing-dir',
    item: 3,
    does: 'a passing release with --report in a directory that does not exist',
    expects:
      'exit 2 before any change, or promoted with exit 0 and a warning: never exit 4 with the stable promoted',
    async run(ctx) {
      const { release, run } = await start(ctx, { report: path.join(ctx.outDir, 'nodir', 'report.json') });
      await finish(ctx, { image: release.image }, run, { exit: [0, 2] });
    },
  }),
  fault({
    id: 'fault.output.dotenv-missing-dir',
    item: 3,
    does: 'a passing release with CANARY_DOTENV in a directory that does not exist',
    expects: 'exit 2 before any change, or promoted with exit 0 and a warning',
    async run(ctx) {
      traffic(ctx);
      const release = await ctx.release();
      const exit = await ctx.run(release.args, {
        timeoutMs: RUN_LIMIT_MS,
        env: { CANARY_DOTENV: path.join(ctx.outDir, 'nodir', 'outputs.env') },
      });
      await ctx.env.sandbox.settle();
      await ctx.judge(exit, release, { exit: [0, 2] });
    },
  }),
  fault({
    id: 'fault.output.report-disk-full',
    item: 3,
    does: 'a passing release with --report /dev/full (every write fails: ENOSPC)',
    expects: 'promoted with exit 0 and a warning (or exit 2 before any change)',
    async run(ctx) {
      const { release, run } = await start(ctx, { report: '/dev/full' });
      await finish(ctx, { image: release.image }, run, { exit: [0, 2] });
    },
  }),
];

const control: Case[] = [
  fault({
    id: 'fault.none.good-release',
    does: 'a good release, no fault (the control: the harness and the environment work)',
    expects: 'exit 0, promoted, report "promoted", nothing of the run left',
    async run(ctx) {
      const { release, run } = await start(ctx);
      await finish(ctx, release, run, { exit: [0], stable: ['promoted'] });
    },
  }),
  fault({
    id: 'fault.none.quiet-stderr',
    item: 7,
    does: "a good release, no fault: the run's stderr",
    expects: 'no Node warning (MaxListenersExceededWarning …)',
    async run(ctx) {
      const { run } = await start(ctx);
      const exit = await run.exited;
      ctx.check(exit.code === 0, `exit ${exit.code}`);
      for (const warning of nodeWarnings(exit.stderr)) ctx.problem(`Node warning ${warning}`);
    },
  }),
  fault({
    id: 'fault.canary.crash-loop',
    does: 'a crash-looping canary (DEMO_CRASH)',
    expects: "exit 1 before analysis with the pod's reason, rolled back, nothing left",
    async run(ctx) {
      const { release, run } = await start(ctx, { manifests: { env: { DEMO_CRASH: '1' } } });
      const exit = await run.exited;
      ctx.check(/CrashLoopBackOff/.test(exit.stdout + exit.stderr), 'no CrashLoopBackOff in the output');
      await ctx.judge(exit, release, { exit: [1], stable: ['unchanged'] });
    },
  }),
  fault({
    id: 'fault.canary.missing-image',
    does: 'a canary image that cannot be pulled',
    expects: "exit 1 before analysis with the pod's reason, rolled back, nothing left",
    async run(ctx) {
      const { release, run } = await start(ctx, { tag: 'missing-4.1' });
      const exit = await run.exited;
      ctx.check(
        /ImagePullBackOff|ErrImagePull/.test(exit.stdout + exit.stderr),
        'no image pull reason in the output',
      );
      await ctx.judge(exit, release, { exit: [1], stable: ['unchanged'] });
    },
  }),
];

export const FAULT_CASES: Case[] = [
  ...control,
  ...apiCuts,
  ...signals,
  ...killed,
  ...lease,
  ...outputs,
  ...prometheus,
  ...apiServer,
];
