import type { Store } from '../apiserver/store.ts';

export interface Controller {
  syncAll(): void;
}

/**
 * Runs every controller, in order, after each burst of store changes and once a second (for
 * time-based conditions such as minReadySeconds and progressDeadlineSeconds). Controllers are
 * level-triggered and idempotent: each pass reads the whole state and writes only differences.
 */
export class ControllerManager {
  private timer: NodeJS.Timeout | undefined;
  private ticker: NodeJS.Timeout | undefined;
  private unsubscribe: (() => void) | undefined;
  private running = false;
  private dirty = false;
  private passes = 0;
  private waiting: Array<() => void> = [];

  constructor(
    private readonly store: Store,
    private readonly controllers: Controller[],
    private readonly onError: (error: unknown) => void = (error) =>
      console.error('sandbox controller error:', error),
  ) {}

  start(): void {
    this.unsubscribe = this.store.subscribe(() => this.schedule());
    this.ticker = setInterval(() => this.schedule(), 1000);
    this.schedule();
  }

  schedule(): void {
    if (this.running) {
      this.dirty = true;
      return;
    }
    this.timer ??= setTimeout(() => this.run(), 5);
  }

  private run(): void {
    this.timer = undefined;
    this.running = true;
    this.dirty = false;
    this.passes += 1;
    const waiting = this.waiting;
    this.waiting = [];
    for (const controller of this.controllers) {
      try {
        controller.syncAll();
      } catch (error) {
        this.onError(error);
      }
    }
    this.running = false;
    for (const resolve of waiting) resolve();
    if (this.dirty) this.schedule();
  }

  /** Resolves after a whole pass that started after this call (every change made before it is seen). */
  nextPass(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.schedule();
    });
  }

  /** How many passes ran (for tests and diagnostics). */
  get passCount(): number {
    return this.passes;
  }

  stop(): void {
    this.unsubscribe?.();
    clearTimeout(this.timer);
    clearInterval(this.ticker);
    this.timer = undefined;
    for (const resolve of this.waiting) resolve();
    this.waiting = [];
  }
}
