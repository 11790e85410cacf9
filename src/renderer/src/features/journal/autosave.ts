/**
 * JRN-2 autosave, without React: a value is saved a while after the last change, saves never
 * overlap (the next waits for the one in flight, so a draft is created once and then updated), and
 * flush() saves what is left at once — before signing, or when the editor closes.
 */
export type AutosaveState =
  | { status: 'idle' }
  | { status: 'pending' }
  | { status: 'saving' }
  | { status: 'saved'; at: Date }
  | { status: 'error'; error: unknown };

export interface AutosaveOptions<T> {
  delayMs: number;
  save: (value: T) => Promise<void>;
  /** A failed save this says is worth another try (the network, not a refusal) is tried again after retryDelayMs. */
  shouldRetry?: (error: unknown) => boolean;
  retryDelayMs?: number;
  onState?: (state: AutosaveState) => void;
  now?: () => Date;
}

export class AutosaveController<T> {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private pending: { value: T } | undefined;
  private chain: Promise<void> = Promise.resolve();
  private isDisposed = false;

  constructor(private readonly options: AutosaveOptions<T>) {}

  /** Something changed: save it after the delay (a later change restarts the wait). */
  schedule(value: T): void {
    if (this.isDisposed) return;
    this.pending = { value };
    this.emit({ status: 'pending' });
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.flush().catch(() => {
        // Shown through onState; the value stays pending for the next change or flush.
      });
    }, this.options.delayMs);
  }

  /** True while a change is not yet saved. */
  get hasUnsavedChanges(): boolean {
    return this.pending !== undefined;
  }

  /** Save what is pending now (after any save in flight); rejects when that save fails. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.chain.then(async () => {
      const next = this.pending;
      if (!next) return;
      this.pending = undefined;
      this.emit({ status: 'saving' });
      try {
        await this.options.save(next.value);
      } catch (error) {
        // Keep the text to try again, unless the user has typed something newer meanwhile.
        this.pending ??= next;
        this.emit({ status: 'error', error });
        if (this.options.retryDelayMs !== undefined && this.options.shouldRetry?.(error) && !this.isDisposed && this.timer === undefined) {
          this.timer = setTimeout(() => {
            this.flush().catch(() => {});
          }, this.options.retryDelayMs);
        }
        throw error;
      }
      if (!this.pending) this.emit({ status: 'saved', at: this.options.now?.() ?? new Date() });
    });
    this.chain = run.catch(() => {});
    return run;
  }

  /** No more timers; a save in flight still finishes. */
  dispose(): void {
    this.isDisposed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(state: AutosaveState): void {
    if (!this.isDisposed) this.options.onState?.(state);
  }
}
