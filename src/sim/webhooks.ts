/**
 * Webhook delivery: the per-phone-number callback registry (set by the override call after a successful
 * hub verification), signed POSTs after the role's delay, and retries with exponential backoff when the
 * callback fails. Webhooks go only to a registered callback, and only to loopback unless explicitly allowed.
 */
import { randomBytes } from 'node:crypto';
import { asciiJson, getText, isLoopbackUrl, postSigned } from './webhook-transport.js';

export interface WebhookOptions {
  /** Callback hosts allowed besides loopback (exact host names); `'*'` allows any host. */
  allowedHosts?: readonly string[];
  /** Delivery attempts per webhook, the first included (Meta keeps retrying for days; the sim stops sooner). */
  attempts?: number;
  /** Wait before the first retry; each later retry waits twice as long. */
  retryBaseMs?: number;
  /** Per-attempt timeout for a callback to answer. */
  timeoutMs?: number;
  /** Deliveries kept in the log (oldest dropped first), so a long run cannot grow without bound. */
  logLimit?: number;
}

/** One delivery attempt, as the platform saw it (tests read these; nothing here reaches a webhook body). */
export interface WebhookDelivery {
  /** Shared by every attempt of one webhook. */
  deliveryId: string;
  phoneNumberId: string;
  kind: 'message' | 'status';
  url: string;
  attempt: number;
  /** HTTP status of the callback's answer; 0 when it did not answer. */
  httpStatus: number;
  isDelivered: boolean;
  error?: string;
  /** The exact body that was signed and sent. */
  rawBody: string;
}

interface Callback {
  url: URL;
  verifyToken: string;
}

/** Why a callback URL cannot be registered (answered as Graph error 100 with these details). */
export class CallbackRejected extends Error {}

/** The platform's webhook sender for one running sim. */
export class WebhookDispatcher {
  private readonly callbacks = new Map<string, Callback>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly log: WebhookDelivery[] = [];
  private isClosed = false;
  private readonly attempts: number;
  private readonly retryBaseMs: number;
  private readonly timeoutMs: number;
  private readonly logLimit: number;

  constructor(
    private readonly appSecret: string,
    private readonly options: WebhookOptions = {},
  ) {
    this.attempts = Math.max(1, options.attempts ?? 5);
    this.retryBaseMs = options.retryBaseMs ?? 200;
    this.timeoutMs = options.timeoutMs ?? 5000;
    this.logLimit = options.logLimit ?? 10_000;
  }

  /** Verifies `uri` with the hub challenge, then routes the number's webhooks to it; throws CallbackRejected. */
  async register(phoneNumberId: string, uri: string, verifyToken: string): Promise<void> {
    const url = this.checkUrl(uri);
    const challenge = randomBytes(8).readBigUInt64BE().toString();
    const probe = new URL(url);
    probe.searchParams.set('hub.mode', 'subscribe');
    probe.searchParams.set('hub.challenge', challenge);
    probe.searchParams.set('hub.verify_token', verifyToken);
    const answer = await getText(probe, this.timeoutMs);
    if (!answer.isAnswered) throw new CallbackRejected(`The callback URL could not be reached: ${answer.error}`);
    if (answer.status < 200 || answer.status > 299)
      throw new CallbackRejected(`The callback URL answered the verification request with HTTP ${answer.status}`);
    if (answer.body !== challenge)
      throw new CallbackRejected(
        'The callback URL or verify token could not be validated: the response did not match the challenge',
      );
    this.callbacks.set(phoneNumberId, { url, verifyToken });
  }

  /** The callback registered for a phone number, if any. */
  callbackFor(phoneNumberId: string): string | undefined {
    return this.callbacks.get(phoneNumberId)?.url.href;
  }

  /**
   * Sends `payload` (built when it is sent) to the number's callback after `delayMs`; dropped when no callback
   * is registered by then. Resolves once it is delivered, given up or dropped (never when the sim closes first).
   */
  schedule(
    phoneNumberId: string,
    kind: WebhookDelivery['kind'],
    delayMs: number,
    payload: () => unknown,
  ): Promise<void> {
    return new Promise((resolve) => {
      this.later(delayMs, () => {
        const callback = this.callbacks.get(phoneNumberId);
        if (callback === undefined) return resolve();
        const rawBody = Buffer.from(asciiJson(payload()), 'utf8');
        const deliveryId = randomBytes(6).toString('hex');
        void this.attempt({ deliveryId, phoneNumberId, kind, url: callback.url, rawBody }, 1, resolve);
      });
    });
  }

  /** Every delivery attempt so far (the newest `logLimit`), in the order they completed. */
  deliveries(): readonly WebhookDelivery[] {
    return this.log;
  }

  /** Cancels every pending webhook and retry. */
  close(): void {
    this.isClosed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private async attempt(
    job: { deliveryId: string; phoneNumberId: string; kind: WebhookDelivery['kind']; url: URL; rawBody: Buffer },
    attempt: number,
    done: () => void,
  ): Promise<void> {
    if (this.isClosed) return;
    const result = await postSigned(job.url, job.rawBody, this.appSecret, this.timeoutMs);
    const isDelivered = result.status >= 200 && result.status <= 299;
    this.record({
      deliveryId: job.deliveryId,
      phoneNumberId: job.phoneNumberId,
      kind: job.kind,
      url: job.url.href,
      attempt,
      httpStatus: result.status,
      isDelivered,
      ...(result.isAnswered ? {} : { error: result.error }),
      rawBody: job.rawBody.toString('utf8'),
    });
    if (isDelivered || attempt >= this.attempts) return done();
    this.later(this.retryBaseMs * 2 ** (attempt - 1), () => void this.attempt(job, attempt + 1, done));
  }

  private record(delivery: WebhookDelivery): void {
    this.log.push(delivery);
    if (this.log.length > this.logLimit) this.log.splice(0, this.log.length - this.logLimit);
  }

  private later(delayMs: number, run: () => void): void {
    if (this.isClosed) return;
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        run();
      },
      Math.max(0, delayMs),
    );
    this.timers.add(timer);
  }

  private checkUrl(uri: string): URL {
    let url: URL;
    try {
      url = new URL(uri);
    } catch {
      throw new CallbackRejected('override_callback_uri must be an absolute URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:')
      throw new CallbackRejected('override_callback_uri must use http or https');
    const allowed = this.options.allowedHosts ?? [];
    if (!isLoopbackUrl(url) && !allowed.includes('*') && !allowed.includes(url.hostname)) {
      throw new CallbackRejected(
        `override_callback_uri host ${url.hostname} is not allowed: the reference platform only calls loopback hosts`,
      );
    }
    return url;
  }
}
