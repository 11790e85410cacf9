import { API_ERROR_MESSAGES } from '../../shared/api-errors';
import { DomainError } from '../errors';

export interface WorkGateLimits {
  /** How many may work at once. */
  concurrency: number;
  /** How many may wait for a turn; beyond that, refused at once. */
  queue: number;
  /** How many one source may hold, working or waiting: a flood from one address cannot fill the queue. */
  perAddress: number;
}

/** The 429 every limit answers with (PLAT-9): a coded message the renderer translates. */
export const tooManyRequests = () => new DomainError('too_many_requests', API_ERROR_MESSAGES.rateLimited);

/**
 * Bounds CPU-heavy work (argon2: ~30 ms of a core and 19 MiB each) in this process (PLAT-9): a few
 * at once, a short queue, and a share per source address, so a flood gets quick 429s instead of
 * making everyone's login wait behind it. The state is this process's own on purpose: what it
 * protects is this process's CPU and memory, and each instance has its own (docs/adr/0005); the
 * limits that must hold across instances are the rate limits kept in PostgreSQL.
 */
export class WorkGate {
  private running = 0;
  private readonly waiting: (() => void)[] = [];
  private readonly heldBy = new Map<string, number>();

  constructor(private readonly limits: WorkGateLimits) {}

  /** Takes a turn for `source`, or throws 429 at once when there is none to wait for. Returns the release. */
  async acquire(source: string): Promise<() => void> {
    const held = this.heldBy.get(source) ?? 0;
    const mustWait = this.running >= this.limits.concurrency;
    if (held >= this.limits.perAddress || (mustWait && this.waiting.length >= this.limits.queue)) throw tooManyRequests();
    this.heldBy.set(source, held + 1);
    if (mustWait) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.running++;
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      const left = (this.heldBy.get(source) ?? 1) - 1;
      if (left > 0) this.heldBy.set(source, left);
      else this.heldBy.delete(source);
      // Hand the slot straight to the next in line: `running` stays as it is.
      const next = this.waiting.shift();
      if (next) next();
      else this.running--;
    };
  }

  async run<T>(source: string, work: () => Promise<T>): Promise<T> {
    const release = await this.acquire(source);
    try {
      return await work();
    } finally {
      release();
    }
  }

  /** For tests and the status of this process. */
  get load(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waiting.length };
  }
}
