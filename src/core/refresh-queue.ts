// One debounced, single-flight queue per workspace folder: bursts of watcher events become one refresh,
// a refresh never overlaps another, and requests arriving during a refresh are merged into the next one.

export class RefreshQueue<R> {
  private pending: R | undefined;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running: Promise<void> | undefined;
  private idleWaiters: Array<() => void> = [];
  private disposed = false;

  constructor(
    private readonly work: (request: R) => Promise<void>,
    private readonly merge: (a: R, b: R) => R,
    private readonly delayMs: number,
    private readonly onError: (error: unknown) => void,
  ) {}

  /** Schedules `request`, merged with anything not yet started. `immediate` skips the debounce delay. */
  request(request: R, immediate = false): void {
    if (this.disposed) return;
    this.pending = this.pending === undefined ? request : this.merge(this.pending, request);
    if (this.running) return; // the running pass picks it up when it ends
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => this.flush(), immediate ? 0 : this.delayMs);
  }

  /** Resolves when nothing is pending or running. */
  whenIdle(): Promise<void> {
    if (this.isIdle()) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  dispose(): void {
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending = undefined;
    this.settleIdle();
  }

  private isIdle(): boolean {
    return this.pending === undefined && !this.running && !this.timer;
  }

  private flush(): void {
    this.timer = undefined;
    const request = this.pending;
    if (request === undefined || this.disposed) return this.settleIdle();
    this.pending = undefined;
    this.running = this.work(request)
      .catch(this.onError)
      .finally(() => {
        this.running = undefined;
        if (this.pending !== undefined && !this.disposed) this.timer = setTimeout(() => this.flush(), this.delayMs);
        else this.settleIdle();
      });
  }

  private settleIdle(): void {
    if (!this.isIdle()) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}
