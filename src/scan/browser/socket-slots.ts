/**
 * The browser's connection budget, kept by the page itself.
 *
 * Chromium holds at most 256 sockets per profile, and a fetch aborted on a silent port does not
 * give its socket back: below that limit, the pool lets the connection attempt run on (for reuse)
 * until the device's own TCP stack gives up, about 127 s on Linux and Android (six SYN
 * retransmissions). Measured in Debian's Chromium: 200 fetches aborted after 2 s, then 100 more
 * still connecting, and a fetch to an open port waited over 20 s for a socket; 135 s later it
 * answered in 8 ms. A scanner that counts only its own fetches in flight therefore fills the pool
 * with abandoned attempts, its later fetches queue inside the browser, and their timeout runs out
 * before they ever send a SYN: a loaded machine lost the highest admitted ports that way.
 *
 * So every attempt takes a slot here before it starts; an answered or failed attempt gives it
 * back at once, an aborted one only `lingerMs` after its abort. Waits end on those events (an
 * attempt ending, a lingering slot expiring), never on a fixed pause. A browser that does cancel
 * aborted attempts (so lingers nothing) is only scanned more slowly, never wrongly.
 */
/** Linux's and Android's connect give-up time (127 s), and a little more: how long an aborted attempt lingers. */
export const connectGiveUpMs = 130_000;

export class SocketSlots {
  private inUse = 0;
  /** Times at which aborted attempts' slots come back, earliest first. */
  private readonly lingering: number[] = [];
  private readonly waiting: Array<() => void> = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly total: number,
    private readonly lingerMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Slots neither in use nor lingering now. */
  free(): number {
    this.expireLingering();
    return this.total - this.inUse - this.lingering.length;
  }

  /** Takes a slot at once if more than `keepFree` are free; a hedge uses this, since a hedge is worth no wait. */
  tryTake(keepFree = 0): boolean {
    if (this.free() <= keepFree) return false;
    this.inUse += 1;
    return true;
  }

  /** Takes a slot, waiting for an attempt to end or a lingering slot to come back. */
  take(): Promise<void> {
    if (this.waiting.length === 0 && this.tryTake()) return Promise.resolve();
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.wakeWhenLingerEnds();
    });
  }

  /** Gives a slot back: at once after an answer or a failure, after the linger after an abort. */
  give(aborted: boolean): void {
    this.inUse -= 1;
    if (aborted) {
      this.lingering.push(this.now() + this.lingerMs);
      this.wakeWhenLingerEnds();
    }
    this.serveWaiting();
  }

  private expireLingering(): void {
    const now = this.now();
    while (this.lingering.length > 0 && this.lingering[0]! <= now) this.lingering.shift();
  }

  private serveWaiting(): void {
    while (this.waiting.length > 0 && this.free() >= 1) {
      this.inUse += 1;
      this.waiting.shift()!();
    }
  }

  /** One timer, for the earliest lingering slot, while anyone waits. */
  private wakeWhenLingerEnds(): void {
    if (this.timer !== undefined || this.waiting.length === 0 || this.lingering.length === 0) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.serveWaiting();
      this.wakeWhenLingerEnds();
    }, Math.max(0, this.lingering[0]! - this.now()));
  }
}
