/** Collects everything a run observes — observations and HTTP exchanges — already redacted. */
import type { Clock } from '../core/clock.js';
import type { Observation, ObservationInput, Outcome } from '../core/types.js';
import { Redactor } from './redact.js';

/** One HTTP exchange in either direction, before it becomes a HAR entry (src/evidence/har.ts). */
export interface ExchangeRecord {
  id: string;
  /** outbound: the harness called the target; inbound: the target called the harness (webhooks). */
  direction: 'outbound' | 'inbound';
  cohort: string;
  check: string;
  seq: number;
  startedDateTime: string;
  scheduledNs: number;
  sentNs: number;
  endNs: number;
  /** ns from send until response headers arrived (undefined if they never did). */
  waitNs?: number;
  request: { method: string; url: string; headers: Record<string, string>; bodyText: string };
  response: {
    status: number;
    statusText: string;
    headers: Record<string, string>;
    bodyText: string;
    isTruncated: boolean;
    bodyBytes: number;
  };
  outcome: Outcome;
  errorMessage?: string;
  /** Free-form annotations (e.g. webhook signature verdicts), prefixed with `_` in the HAR. */
  notes?: Record<string, string | number | boolean>;
}

export type ExchangeInput = Omit<ExchangeRecord, 'id' | 'seq'>;

/** Where a streaming recorder sends what it records (the bundle writer, src/evidence/bundle/writer.ts). */
export interface RecordSink {
  addSample(observation: Observation): void;
  addExchange(record: ExchangeRecord): void;
}

/** Options of a Recorder. */
export interface RecorderOptions {
  /** Stream everything here instead of keeping it: memory stays flat however long the run. */
  sink?: RecordSink;
  /** Sequence numbers to continue from (a resumed run). */
  start?: { samples: number; exchanges: number };
  /** The vantage point every sample is tagged with (`run --vantage`), so pooled samples stay stratified. */
  vantage?: string;
}

/** The run's single sink; redaction happens on the way in so nothing unredacted is ever held for output. */
export class Recorder {
  /** What was recorded, when there is no sink (tests and one-shot writers). */
  readonly observations: Observation[] = [];
  readonly exchanges: ExchangeRecord[] = [];
  readonly redactor: Redactor;
  private sampleSeq: number;
  private exchangeSeq: number;

  constructor(
    readonly clock: Clock,
    secrets: readonly string[],
    private readonly options: RecorderOptions = {},
  ) {
    this.redactor = new Redactor(secrets);
    this.sampleSeq = options.start?.samples ?? 0;
    this.exchangeSeq = options.start?.exchanges ?? 0;
  }

  /** Records an observation and returns it with its sequence number. */
  record(input: ObservationInput): Observation {
    const vantage = this.options.vantage;
    const observation = {
      ...input,
      seq: this.sampleSeq++,
      ...(vantage === undefined ? {} : { vantage }),
    } as Observation;
    if (observation.data !== undefined)
      observation.data = JSON.parse(this.redactor.text(JSON.stringify(observation.data))) as Observation['data'];
    if (this.options.sink === undefined) this.observations.push(observation);
    else this.options.sink.addSample(observation);
    return observation;
  }

  /** Records an exchange (redacting URL, headers, bodies and error text) and returns its HAR id. */
  addExchange(input: ExchangeInput): string {
    const seq = this.exchangeSeq++;
    const id = `${input.direction === 'inbound' ? 'in' : 'ex'}-${String(seq).padStart(6, '0')}`;
    const r = this.redactor;
    const record: ExchangeRecord = {
      ...input,
      id,
      seq,
      request: {
        method: input.request.method,
        url: r.url(input.request.url),
        headers: r.headers(input.request.headers),
        bodyText: r.text(input.request.bodyText),
      },
      response: {
        ...input.response,
        statusText: r.text(input.response.statusText),
        headers: r.headers(input.response.headers),
        bodyText: r.text(input.response.bodyText),
      },
      ...(input.errorMessage === undefined ? {} : { errorMessage: r.text(input.errorMessage) }),
      ...(input.notes === undefined ? {} : { notes: redactNotes(r, input.notes) }),
    };
    if (this.options.sink === undefined) this.exchanges.push(record);
    else this.options.sink.addExchange(record);
    return id;
  }
}

/** `_` fields of the HAR are recorded data too: string notes pass the redactor. */
function redactNotes(
  r: Redactor,
  notes: Record<string, string | number | boolean>,
): Record<string, string | number | boolean> {
  return Object.fromEntries(Object.entries(notes).map(([k, v]) => [r.text(k), typeof v === 'string' ? r.text(v) : v]));
}
