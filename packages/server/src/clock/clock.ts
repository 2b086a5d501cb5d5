/** Time is passed in, never read from a global, so tests and the simulator can move it. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/**
 * A clock that runs with real time plus an offset that only moves forward. Used by
 * end-to-end tests (after-sale windows "pass" without waiting); never in production.
 */
export class TestClock implements Clock {
  private offsetMs = 0;
  now(): Date {
    return new Date(Date.now() + this.offsetMs);
  }
  advance(ms: number): void {
    if (!(ms >= 0)) throw new Error('the test clock only moves forward');
    this.offsetMs += ms;
  }
}

/** A clock fixed at a time you set: for unit tests. */
export class ManualClock implements Clock {
  constructor(private current: Date) {}
  now(): Date {
    return new Date(this.current);
  }
  set(at: Date): void {
    this.current = new Date(at);
  }
  advance(ms: number): void {
    this.current = new Date(this.current.getTime() + ms);
  }
}
