/**
 * Received events plus waiters: a waiter sees past events first, so nothing that already arrived is
 * missed. Past events are indexed by the message they are about, so a wait for one message's status
 * costs the same in hour 23 as in minute 1, and only the most recent ones are kept (every delivery is
 * evidence in the HAR already), so a soak's memory stays flat in its length.
 */
import type { WebhookEvent } from './hub.js';

interface Waiter {
  predicate: (event: WebhookEvent) => boolean;
  about: string | undefined;
  resolve: (event: WebhookEvent | undefined) => void;
  timer: NodeJS.Timeout;
}

/** Events kept at least: minutes of a run's webhooks at any rate the budget allows. */
export const RETAINED_EVENTS = 10_000;

/** Append-only log of events, pruned to the most recent ones, with `waitFor` over past and future ones. */
export class EventLog {
  private events: WebhookEvent[] = [];
  private readonly byMessage = new Map<string, WebhookEvent[]>();
  private readonly waiters = new Set<Waiter>();
  private count = 0;

  constructor(private readonly retained = RETAINED_EVENTS) {}

  /** The events kept (at least the `retained` most recent), in arrival order. */
  all(): readonly WebhookEvent[] {
    return this.events;
  }

  /** How many events have arrived in all (the next event's `seq`). */
  received(): number {
    return this.count;
  }

  /** The kept events about one message, in arrival order. */
  about(messageId: string): readonly WebhookEvent[] {
    return this.byMessage.get(messageId) ?? [];
  }

  /** Adds an event (numbering it) and wakes the waiters it satisfies. */
  push(received: Omit<WebhookEvent, 'seq'>): WebhookEvent {
    const event: WebhookEvent = { ...received, seq: this.count };
    this.count += 1;
    this.events.push(event);
    if (event.messageId !== undefined) {
      const list = this.byMessage.get(event.messageId);
      if (list === undefined) this.byMessage.set(event.messageId, [event]);
      else list.push(event);
    }
    if (this.events.length >= 2 * this.retained) this.prune();
    for (const waiter of this.waiters) {
      if ((waiter.about === undefined || waiter.about === event.messageId) && matches(waiter.predicate, event))
        this.settle(waiter, event);
    }
    return event;
  }

  /**
   * The first past or future event matching `predicate` (among the events about message `about`, when
   * given), or undefined after `timeoutMs` (or on close).
   */
  waitFor(
    predicate: (event: WebhookEvent) => boolean,
    timeoutMs: number,
    about?: string,
  ): Promise<WebhookEvent | undefined> {
    const past = (about === undefined ? this.events : this.about(about)).find((event) => matches(predicate, event));
    if (past !== undefined) return Promise.resolve(past);
    return new Promise((resolve) => {
      const waiter: Waiter = {
        predicate,
        about,
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

  /** Drops all but the `retained` most recent events (amortised: once per `retained` arrivals). */
  private prune(): void {
    const dropped = this.events.slice(0, this.events.length - this.retained);
    this.events = this.events.slice(dropped.length);
    for (const event of dropped) {
      if (event.messageId === undefined) continue;
      const list = this.byMessage.get(event.messageId);
      const kept = list?.filter((e) => e.seq > event.seq) ?? [];
      if (kept.length === 0) this.byMessage.delete(event.messageId);
      else this.byMessage.set(event.messageId, kept);
    }
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
