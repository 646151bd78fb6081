/** Received events plus waiters: a waiter sees past events first, so nothing that already arrived is missed. */
import type { WebhookEvent } from './hub.js';

interface Waiter {
  predicate: (event: WebhookEvent) => boolean;
  resolve: (event: WebhookEvent | undefined) => void;
  timer: NodeJS.Timeout;
}

/** Append-only list of events with `waitFor` over past and future ones. */
export class EventLog {
  private readonly events: WebhookEvent[] = [];
  private readonly waiters = new Set<Waiter>();

  /** Every event so far, in arrival order. */
  all(): readonly WebhookEvent[] {
    return this.events;
  }

  /** Adds an event and wakes the waiters it satisfies. */
  push(event: WebhookEvent): void {
    this.events.push(event);
    for (const waiter of this.waiters) {
      if (matches(waiter.predicate, event)) this.settle(waiter, event);
    }
  }

  /** The first past or future event matching `predicate`, or undefined after `timeoutMs` (or on close). */
  waitFor(predicate: (event: WebhookEvent) => boolean, timeoutMs: number): Promise<WebhookEvent | undefined> {
    const past = this.events.find((event) => matches(predicate, event));
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        predicate,
        resolve,
        timer: setTimeout(() => this.settle(waiter, undefined), Math.max(0, timeoutMs)),
      };
      this.waiters.add(waiter);
    });
  }

  /** Resolves every pending waiter with undefined. */
  close(): void {
    for (const waiter of this.waiters) this.settle(waiter, undefined);
  }

  private settle(waiter: Waiter, event: WebhookEvent | undefined): void {
    clearTimeout(waiter.timer);
    this.waiters.delete(waiter);
    waiter.resolve(event);
  }
}

/** A predicate that throws does not match (a check's bug must not break the receiver). */
function matches(predicate: (event: WebhookEvent) => boolean, event: WebhookEvent): boolean {
  try {
    return predicate(event);
  } catch {
    return false;
  }
}
