/**
 * A case, the context it runs in, and how one case is run and judged.
 *
 * Every case gets a namespace of its own from the pool (the stable `web` ready, nothing else), a
 * directory (`in/` for what it writes for the CLI, `out/` and `tmp/` for what the CLI writes, `home/`
 * as HOME), planted secrets, and helpers to write inputs, start the CLI, wait for a phase, cut the API,
 * and judge the end. Whatever happens, the harness kills the CLI processes the case left running, runs
 * the case's clean-ups (restores Prometheus, proxies …), scans every output for the planted secrets,
 * and gives the namespace back to the pool only if it is exactly as it was (else it is deleted).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { TcpProxy } from '../support/tcp-proxy.ts';
import { startCli, type CliExit, type CliRun } from './cli-process.ts';
import { WORKLOAD, type CaseNamespace, type FaultEnvironment } from './environment.ts';
import {
  configObject,
  configText,
  imageOf,
  manifestObjects,
  manifestText,
  type ConfigOptions,
  type ManifestOptions,
} from './fixtures.ts';
import { clusterEnd, judgeRun, type ClusterEnd, type Expectation } from './inspect/judge.ts';
import { messageProblems, type MessageExpectation } from './inspect/messages.ts';
import { filesUnder, scan, secretValue, type Leak, type PlantedSecret } from './inspect/secrets.ts';
import { describeChanges, diff, watchChanges, type Change, type Snapshot } from './inspect/snapshot.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- Kubernetes objects and reports are loosely typed JSON */

export type Category = 'bad-input' | 'fault' | 'secret';
export const CATEGORIES: readonly Category[] = ['bad-input', 'fault', 'secret'];

export interface Case {
  /** Unique, `<category-ish>.<area>.<what>`. */
  id: string;
  category: Category;
  /** What the case does, in a line. */
  does: string;
  /** What a correct end looks like, in a line. */
  expects: string;
  /** The item of issue #12 it measures. */
  item?: number;
  /** The whole case, set-up and judging included; past it the case is a failure ("timed out"). */
  timeoutMs: number;
  /** Touches what cases share (Prometheus, the API server): runs alone. */
  exclusive?: boolean;
  /** Resources whose rules the `ci` account does not get in this case's namespace. */
  without?: string[];
  run(ctx: CaseContext): Promise<void>;
}

export interface RunRecord {
  command: string;
  code: number | null;
  signal: string | null;
  durationMs: number;
  /** The last 1500 characters of each stream (for the JSON results). */
  stdoutTail: string;
  stderrTail: string;
}

export interface CaseResult {
  id: string;
  category: Category;
  does: string;
  expects: string;
  item?: number;
  ok: boolean;
  /** No contradiction between exit code, report and cluster (meaningful for runs that change the cluster). */
  consistent: boolean;
  problems: string[];
  inconsistencies: string[];
  leaks: Leak[];
  notes: string[];
  runs: RunRecord[];
  durationMs: number;
  namespace: string;
}

export interface CliCall {
  env?: Record<string, string>;
  /** Default 30 s. */
  timeoutMs?: number;
  memoryLimitMb?: number;
  /** Kill the CLI (SIGKILL) at the first change to the namespace: a bad input must change nothing. */
  stopOnChange?: boolean;
  /** Record the first change to the namespace in `firstChange` (even one undone later). */
  recordChanges?: boolean;
}

export interface ReleaseOptions {
  tag?: string;
  config?: ConfigOptions;
  manifests?: Partial<ManifestOptions>;
  /** Through the case's API proxy (default) or straight to the API server. */
  proxy?: boolean;
  report?: string | false;
  revision?: string;
  runId?: string;
  extra?: string[];
}

export interface Release {
  args: string[];
  image: string;
  /** The report path given with --report (undefined: none). */
  report?: string;
  config: string;
  manifests: string;
  kubeconfig: string;
}

let caseCounter = 0;

export class CaseContext {
  readonly dir: string;
  readonly inDir: string;
  readonly outDir: string;
  readonly tmpDir: string;
  readonly home: string;
  readonly secrets: PlantedSecret[] = [];
  /** Environment of every CLI run: the planted `${VAR}`s and the output files. */
  readonly vars: Record<string, string> = {};
  readonly problems: string[] = [];
  /** The problems that are contradictions (exit code, report and cluster disagree), a subset of problems. */
  readonly inconsistencies: string[] = [];
  readonly notes: string[] = [];
  readonly runs: RunRecord[] = [];
  readonly outputs: Array<{ where: string; text: string }> = [];
  private readonly running = new Set<CliRun>();
  private readonly records: Array<Promise<unknown>> = [];
  private readonly cleanups: Array<() => Promise<unknown> | unknown> = [];
  private proxy: TcpProxy | undefined;
  private runCounter = 0;
  /** Set when the case is over (timed out): helpers stop waiting. */
  aborted = false;
  /** The first change a stopOnChange run made (the harness killed it there). */
  firstChange: Change | undefined;
  /** The state the case's runs start from: the namespace as created, or as the case's set-up left it. */
  start: Snapshot;

  constructor(
    readonly env: FaultEnvironment,
    readonly ns: CaseNamespace,
    root: string,
    readonly caseId: string,
  ) {
    this.dir = path.join(
      root,
      `${String(++caseCounter).padStart(3, '0')}-${caseId.replace(/[^\w.-]/g, '_')}`,
    );
    this.inDir = path.join(this.dir, 'in');
    this.outDir = path.join(this.dir, 'out');
    this.tmpDir = path.join(this.dir, 'tmp');
    this.home = path.join(this.dir, 'home');
    this.start = ns.baseline;
    this.plant('PROM_TOKEN', 'Prometheus bearer token', secretValue('prom-token-'));
    this.plant('ORG_HEADER', 'Prometheus header X-Scope-OrgID', secretValue('org-header-'));
    this.secrets.push({ name: 'kubeconfig token', value: env.sandbox.ciToken });
  }

  async init(): Promise<void> {
    for (const dir of [this.inDir, this.outDir, this.tmpDir, this.home])
      await mkdir(dir, { recursive: true });
  }

  get namespace(): string {
    return this.ns.name;
  }

  /** After a set-up that changed the namespace on purpose (a hand-made web-canary …): judge from here. */
  markStart(): void {
    this.start = this.env.snapshot(this.namespace);
  }

  /** A secret value the outputs must never contain; with `variable`, the CLI's environment carries it. */
  plant(variable: string | undefined, name: string, value = secretValue('s-')): string {
    this.secrets.push({ name, value });
    if (variable) this.vars[variable] = value;
    return value;
  }

  problem(text: string): void {
    this.problems.push(text);
  }

  /** A problem that is a contradiction: what the run says against what the cluster holds. */
  inconsistent(text: string): void {
    this.problems.push(text);
    this.inconsistencies.push(text);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  check(condition: unknown, text: string): void {
    if (!condition) this.problem(text);
  }

  onCleanup(fn: () => Promise<unknown> | unknown): void {
    this.cleanups.push(fn);
  }

  async file(name: string, content: string | Buffer): Promise<string> {
    const file = path.join(this.inDir, name);
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, content);
    return file;
  }

  /** Writes the config (see fixtures.ts) for this case's namespace. */
  config(options: ConfigOptions = {}, name = 'canary.yml'): Promise<string> {
    return this.file(name, configText(configObject(this.env.prometheusUrl, options)));
  }

  manifests(options: ManifestOptions, name = 'web.yaml'): Promise<string> {
    return this.file(name, manifestText(manifestObjects(options)));
  }

  /** The case's API proxy (one per case, stopped at its end). */
  async apiProxy(): Promise<TcpProxy> {
    if (!this.proxy) {
      const proxy = await this.env.apiProxy();
      this.proxy = proxy;
      this.onCleanup(() => proxy.stop());
    }
    return this.proxy;
  }

  /** A kubeconfig for the `ci` account in this namespace, through the case's proxy or straight. */
  async kubeconfig(options: { proxy?: boolean; name?: string; server?: string } = {}): Promise<string> {
    const file = path.join(this.inDir, options.name ?? 'kubeconfig');
    const server =
      options.server ?? (options.proxy === false ? undefined : `https://${(await this.apiProxy()).address}`);
    await this.env.writeKubeconfig(file, this.namespace, server);
    return file;
  }

  /** The files and arguments of a valid `run` (a case changes one thing). */
  async release(options: ReleaseOptions = {}): Promise<Release> {
    const image = imageOf(options.tag ?? '2.0.0');
    const suffix = options.runId ? `-${options.runId}` : '';
    const config = await this.config(options.config, `canary${suffix}.yml`);
    const manifests = await this.manifests({ image, ...options.manifests }, `web${suffix}.yaml`);
    // A straight kubeconfig has its own file: a second release must not repoint the first at the API.
    const proxy = options.proxy ?? true;
    const kubeconfig = await this.kubeconfig({ proxy, ...(proxy ? {} : { name: 'kubeconfig-direct' }) });
    const report =
      options.report === false
        ? undefined
        : (options.report ?? path.join(this.outDir, `report${suffix}.json`));
    const args = [
      'run',
      '--config',
      config,
      '--manifests',
      manifests,
      '--image',
      image,
      '--kubeconfig',
      kubeconfig,
      '--revision',
      options.revision ?? 'faults1',
      '--run-id',
      options.runId ?? `faults-${this.caseId.replace(/[^\w.-]/g, '-')}`.slice(0, 60),
      ...(report ? ['--report', report] : []),
      ...(options.extra ?? []),
    ];
    return { args, image, config, manifests, kubeconfig, ...(report ? { report } : {}) };
  }

  /** Starts the CLI; its environment is minimal (PATH, HOME, TMPDIR), the planted variables and `call.env`. */
  cli(args: string[], call: CliCall = {}): CliRun {
    if (this.aborted) throw new Error('the case is over');
    const index = ++this.runCounter;
    const runOut = path.join(this.outDir, `run-${index}`);
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: this.home,
      TMPDIR: this.tmpDir,
      CANARY_DOTENV: path.join(runOut, 'outputs.env'),
      CANARY_MARKDOWN_REPORT: path.join(runOut, 'report.md'),
      CANARY_HTML_REPORT: path.join(runOut, 'report.html'),
      GITHUB_STEP_SUMMARY: path.join(runOut, 'step-summary.md'),
      ...this.vars,
      ...call.env,
    };
    const stop =
      call.stopOnChange || call.recordChanges
        ? watchChanges(this.env.sandbox.store, this.namespace, this.start, (change) => {
            this.firstChange ??= change;
            if (call.stopOnChange) run.kill('SIGKILL');
          })
        : undefined;
    const dirs = mkdir(runOut, { recursive: true });
    const run = startCli({
      args,
      env,
      cwd: this.dir,
      timeoutMs: call.timeoutMs ?? 30_000,
      ...(call.memoryLimitMb ? { memoryLimitMb: call.memoryLimitMb } : {}),
    });
    this.running.add(run);
    const command = args[0] ?? '';
    const record = run.exited.then(
      async (exit) => {
        stop?.();
        await dirs;
        this.running.delete(run);
        this.runs.push({
          command,
          code: exit.code,
          signal: exit.signal,
          durationMs: exit.durationMs,
          stdoutTail: exit.stdout.slice(-1500),
          stderrTail: exit.stderr.slice(-1500),
        });
        this.outputs.push(
          { where: `run ${index} (${command}) stdout`, text: exit.stdout },
          { where: `run ${index} (${command}) stderr`, text: exit.stderr },
        );
      },
      () => undefined,
    );
    this.records.push(record);
    return run;
  }

  /** Runs the CLI to its end. */
  async run(args: string[], call: CliCall = {}): Promise<CliExit> {
    return this.cli(args, call).exited;
  }

  /** Waits until `check` holds (polling the in-process store every 50 ms). */
  async until(what: string, check: () => boolean, timeoutMs: number, run?: CliRun): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (check()) return;
      if (this.aborted) throw new Error(`the case ended while waiting for ${what}`);
      if (run?.done) {
        const exit = await run.exited;
        throw new Error(`the CLI exited ${exit.code ?? exit.signal} before ${what}: ${lastLines(exit)}`);
      }
      if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
      await sleep(50);
    }
  }

  canary(): any {
    return this.env.get('deployments', this.namespace, `${WORKLOAD}-canary`);
  }

  lease(): any {
    return this.env.get('leases', this.namespace, `${WORKLOAD}-canary-lock`);
  }

  stable(): any {
    return this.env.get('deployments', this.namespace, WORKLOAD);
  }

  /** Waits until the canary records `phase` (deploying, analysing, promoting …). */
  phase(phase: string, run: CliRun, timeoutMs = 90_000): Promise<void> {
    return this.until(
      `phase ${phase}`,
      () => this.canary()?.metadata?.annotations?.['canary-action.dev/phase'] === phase,
      timeoutMs,
      run,
    );
  }

  /** Waits for a line of the CLI's output; the error says how the CLI ended if it ended first. */
  async output(run: CliRun, pattern: RegExp, timeoutMs = 90_000): Promise<void> {
    try {
      await run.waitForOutput(pattern, timeoutMs);
    } catch (error) {
      if (!run.done) throw error;
      const exit = await run.exited;
      throw new Error(
        `the CLI exited ${exit.code ?? exit.signal} before printing ${pattern}: ${lastLines(exit)}`,
      );
    }
  }

  /** The cluster's end relative to the namespace's start. */
  end(newImage?: string): ClusterEnd {
    return clusterEnd(this.env, this.namespace, this.start, newImage);
  }

  /** Changes since the start. */
  changes(): Change[] {
    return diff(this.start, this.env.snapshot(this.namespace));
  }

  /** Reads a report; undefined with the reason when there is none or it is not JSON. */
  async readReport(file: string | undefined): Promise<{ report?: any; problem?: string }> {
    if (!file) return { problem: 'not asked for' };
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      return { problem: `cannot read ${path.basename(file)}: ${(error as NodeJS.ErrnoException).code}` };
    }
    try {
      return { report: JSON.parse(text) };
    } catch {
      return { problem: `${path.basename(file)} is not JSON` };
    }
  }

  /** Judges a finished run: exit code, report and cluster must agree (see inspect/judge.ts). */
  async judge(
    exit: CliExit,
    release: Pick<Release, 'image' | 'report'>,
    expect: Expectation = {},
  ): Promise<ClusterEnd> {
    if (exit.timedOut)
      this.problem(`the CLI did not exit within its time limit (${exit.durationMs} ms): killed`);
    const end = this.end(release.image);
    const { report, problem } = await this.readReport(release.report);
    const verdict = judgeRun(
      {
        code: exit.code,
        signal: exit.signal,
        ...(report ? { report } : {}),
        ...(problem ? { reportProblem: problem } : {}),
        stderr: exit.stderr,
      },
      end,
      { reportRequired: release.report !== undefined, ...expect },
    );
    verdict.inconsistent.forEach((text) => this.inconsistent(text));
    verdict.unexpected.forEach((text) => this.problem(text));
    return end;
  }

  /** A bad input's verdict: exit 2, a clear message, nothing changed, in time. */
  judgeBadInput(exit: CliExit, expect: MessageExpectation): void {
    if (this.firstChange)
      this.problem(
        `changed the cluster (${this.firstChange.key} ${this.firstChange.what}): stopped by the harness at that change`,
      );
    else if (exit.timedOut)
      this.problem(`hung: no exit within ${Math.round(exit.durationMs / 1000)} s (killed)`);
    else if (exit.memoryExceeded)
      this.problem(`ran out of bounds: over the memory limit (${exit.peakRssMb} MB, killed)`);
    else if (exit.code !== 2)
      this.problem(`exit ${exit.code ?? exit.signal}, expected 2: ${lastLines(exit)}`);
    if (!this.firstChange && !exit.timedOut && !exit.memoryExceeded) {
      this.problems.push(...messageProblems(exit.stdout, exit.stderr, expect));
    }
    const changes = this.changes();
    if (changes.length > 0 && !this.firstChange)
      this.problem(`the cluster changed: ${describeChanges(changes)}`);
    if (exit.outputTruncated) this.problem('printed more than 4 MB');
  }

  /** Ends the case: kills what still runs, runs the clean-ups, collects the files to scan. */
  async close(): Promise<void> {
    this.aborted = true;
    for (const run of [...this.running]) run.kill('SIGKILL');
    await Promise.all(this.records);
    for (const fn of this.cleanups.reverse()) {
      try {
        await fn();
      } catch (error) {
        this.note(`clean-up failed: ${(error as Error).message}`);
      }
    }
    for (const dir of [this.outDir, this.tmpDir, this.home])
      this.outputs.push(...(await filesUnder(this.dir, dir)));
  }

  leaks(): Leak[] {
    return scan(this.secrets, this.outputs);
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function lastLines(exit: CliExit, count = 2): string {
  const lines = `${exit.stdout}\n${exit.stderr}`
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const text = lines.slice(-count).join(' | ');
  return JSON.stringify(text.length > 300 ? `${text.slice(0, 300)}…` : text);
}

/** The CLI's first `error:` line (what a user reads), else its last lines. */
export function errorLine(exit: CliExit): string {
  const line = exit.stderr.split('\n').find((l) => l.startsWith('error: '));
  return line ? JSON.stringify(line.length > 300 ? `${line.slice(0, 300)}…` : line) : lastLines(exit);
}

/** Runs one case in a namespace of the pool and judges it. */
export async function runCase(env: FaultEnvironment, spec: Case, root: string): Promise<CaseResult> {
  const started = Date.now();
  const ns = await env.acquire(spec.without ? { without: spec.without } : {});
  const ctx = new CaseContext(env, ns, root, spec.id);
  await ctx.init();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      spec.run(ctx),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`the case timed out after ${Math.round(spec.timeoutMs / 1000)} s`)),
          spec.timeoutMs,
        );
      }),
    ]);
  } catch (error) {
    // A case that could not be judged (it timed out, the CLI ended before the fault) is not consistent.
    ctx.inconsistent(`not judged: ${(error as Error).message}`);
  } finally {
    clearTimeout(timer);
    await ctx.close();
  }
  const leaks = ctx.leaks();
  env.release(ns);
  return {
    id: spec.id,
    category: spec.category,
    does: spec.does,
    expects: spec.expects,
    ...(spec.item ? { item: spec.item } : {}),
    ok: ctx.problems.length === 0 && leaks.length === 0,
    consistent: ctx.inconsistencies.length === 0,
    inconsistencies: ctx.inconsistencies,
    problems: ctx.problems,
    leaks,
    notes: ctx.notes,
    runs: ctx.runs,
    durationMs: Date.now() - started,
    namespace: ns.name,
  };
}
