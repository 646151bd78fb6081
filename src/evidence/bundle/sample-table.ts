/**
 * A bundle's observations held as columns, for an analysis over all of them: a 24-hour soak is a million
 * samples, and a million parsed objects (with their ids, numbers and `data`) take about 400 MB.
 *
 * What analyses filter and sort by (check, cohort, kind, variant, outcome, metrics, vantage, seq, round
 * and the timings) is held in columns: the strings as one shared, frozen head per distinct combination,
 * the numbers in Float64Array chunks (NaN is "absent": JSON has no NaN). Everything else (`data`,
 * `exchanges`) is read back from the sample's line in samples.ndjson when asked for, parsed and frozen.
 * At rest a sample costs 56 bytes of numbers and 8 of head id and line length.
 *
 * The analysis gets `rows`: a read-only array whose rows are made as they are read, each an object with
 * one field, its index. A row is not a plain object: its fields are getters on its prototype, so
 * spreading one (`{ ...o }`) copies nothing. Copy an observation with `observationWith`
 * (src/core/types.ts); JSON.stringify gives the recorded line's object.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import type { JsonObject, Observation } from '../../core/types.js';

/** Where a sample's line is in its file: byte offset and length, newline excluded. */
export interface LineSpan {
  offset: number;
  bytes: number;
}

/** The string fields of an observation that repeat from sample to sample, held once per combination. */
type Head = Readonly<Pick<Observation, 'check' | 'cohort' | 'kind' | 'variant' | 'outcome' | 'metrics' | 'vantage'>>;

/** The numeric fields of a row, then where its line is, side by side in one Float64Array chunk. */
const NUMBER_FIELDS = ['seq', 'round', 'scheduledNs', 'sentNs', 'latencyUs'] as const;
type NumberField = (typeof NUMBER_FIELDS)[number];
const SLOT: Readonly<Record<NumberField | 'offset', number>> = {
  seq: 0,
  round: 1,
  scheduledNs: 2,
  sentNs: 3,
  latencyUs: 4,
  offset: 5,
};
const DOUBLES = 6;
/** The head's id and the line's length, in one Uint32Array chunk. */
const WORDS = 2;

/**
 * Rows per chunk. The columns grow a chunk at a time, never by copying: a copy doubles what the
 * allocator holds at the moment of growth, and it does not give all of it back.
 */
const CHUNK_BITS = 16;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const IN_CHUNK = CHUNK_ROWS - 1;

/** Observations of one samples.ndjson, added in file order; `rows` are what the analysis reads. */
export class SampleTable {
  private size = 0;
  private readonly heads: Head[] = [];
  private readonly headIds = new Map<string, number>();
  private readonly doubles: Float64Array[] = [];
  private readonly words: Uint32Array[] = [];
  private readonly lines: LineReader;
  private readonly Row: new (index: number) => Observation;

  /** `path` is the samples.ndjson the spans given to `add` point into. */
  constructor(path: string) {
    this.lines = new LineReader(path);
    this.Row = rowClass(this);
  }

  /**
   * Adds a parsed sample and its line's span. `vantage`, when given, replaces the sample's own (a merged
   * bundle's pooled samples name the vantage point they came from).
   */
  add(observation: Observation, span: LineSpan, vantage?: string): void {
    const index = this.size;
    if ((index & IN_CHUNK) === 0) {
      this.doubles.push(new Float64Array(CHUNK_ROWS * DOUBLES));
      this.words.push(new Uint32Array(CHUNK_ROWS * WORDS));
    }
    const doubles = this.doubles[index >>> CHUNK_BITS] as Float64Array;
    const words = this.words[index >>> CHUNK_BITS] as Uint32Array;
    const at = (index & IN_CHUNK) * DOUBLES;
    for (const field of NUMBER_FIELDS) doubles[at + SLOT[field]] = observation[field] ?? Number.NaN;
    doubles[at + SLOT.offset] = span.offset;
    words[(index & IN_CHUNK) * WORDS] = this.headId(observation, vantage ?? observation.vantage);
    words[(index & IN_CHUNK) * WORDS + 1] = span.bytes;
    this.size += 1;
  }

  /**
   * Every row, as a read-only array that makes each row as it is read: what an analysis keeps (a filtered
   * list) costs memory, what it only looks at does not. A row read twice is two equal objects, not one.
   */
  get rows(): Observation[] {
    return rowsView(this, null, this.size);
  }

  /** @internal Row `index`, made anew. */
  row(index: number): Observation {
    return new this.Row(index);
  }

  /** @internal The shared head of row `index`. */
  head(index: number): Head {
    return this.heads[this.word(index, 0)] as Head;
  }

  /** @internal A numeric field of row `index`, undefined when the sample has none. */
  number(field: NumberField, index: number): number | undefined {
    const value = this.double(index, SLOT[field]);
    return Number.isNaN(value) ? undefined : value;
  }

  /** @internal Row `index`'s line, parsed and frozen: the recorded observation, whole. */
  line(index: number): Observation {
    const line = this.lines.read(index, this.double(index, SLOT.offset), this.word(index, 1));
    if (line.seq !== this.number('seq', index))
      throw new Error(
        `${this.lines.path} changed while it was being read: seq ${line.seq} where ${this.number('seq', index)} was`,
      );
    const vantage = this.head(index).vantage;
    return vantage === undefined || line.vantage === vantage ? line : Object.freeze({ ...line, vantage });
  }

  private double(index: number, slot: number): number {
    return (this.doubles[index >>> CHUNK_BITS] as Float64Array)[(index & IN_CHUNK) * DOUBLES + slot] as number;
  }

  private word(index: number, slot: number): number {
    return (this.words[index >>> CHUNK_BITS] as Uint32Array)[(index & IN_CHUNK) * WORDS + slot] as number;
  }

  private headId(o: Observation, vantage: string | undefined): number {
    const key = JSON.stringify([o.check, o.cohort, o.kind, o.variant, o.outcome, o.metrics, vantage]);
    const known = this.headIds.get(key);
    if (known !== undefined) return known;
    const head: Head = {
      check: o.check,
      cohort: o.cohort,
      kind: o.kind,
      ...(o.variant === undefined ? {} : { variant: o.variant }),
      ...(o.outcome === undefined ? {} : { outcome: o.outcome }),
      ...(o.metrics === undefined ? {} : { metrics: Object.freeze([...o.metrics]) as string[] }),
      ...(vantage === undefined ? {} : { vantage }),
    };
    this.heads.push(Object.freeze(head));
    this.headIds.set(key, this.heads.length - 1);
    return this.heads.length - 1;
  }
}

/** The table and row indices behind each view `rows` and `subsetOf` hand out. */
const views = new WeakMap<readonly Observation[], { table: SampleTable; indices: Uint32Array | null }>();

function rowsView(table: SampleTable, indices: Uint32Array | null, length: number): Observation[] {
  const rowAt = (i: number): Observation => table.row(indices === null ? i : (indices[i] as number));
  const readOnly = (): never => {
    throw new TypeError('the rows of a SampleTable are read-only');
  };
  const view = new Proxy([] as Observation[], {
    get(target, key, receiver) {
      if (key === 'length') return length;
      const i = arrayIndex(key);
      if (i !== -1) return i < length ? rowAt(i) : undefined;
      return Reflect.get(target, key, receiver) as unknown;
    },
    has(target, key) {
      const i = arrayIndex(key);
      return i === -1 ? Reflect.has(target, key) : i < length;
    },
    getOwnPropertyDescriptor(target, key) {
      const i = arrayIndex(key);
      if (i === -1 || i >= length)
        return key === 'length'
          ? { value: length, writable: true, enumerable: false, configurable: false }
          : Reflect.getOwnPropertyDescriptor(target, key);
      return { value: rowAt(i), writable: false, enumerable: true, configurable: true };
    },
    ownKeys() {
      return [...Array.from({ length }, (_, i) => String(i)), 'length'];
    },
    set: readOnly,
    defineProperty: readOnly,
    deleteProperty: readOnly,
  });
  views.set(view, { table, indices });
  return view;
}

/** The array index a property key names, or -1. */
function arrayIndex(key: string | symbol): number {
  if (typeof key !== 'string' || key.length === 0 || key.length > 10) return -1;
  const first = key.charCodeAt(0);
  if (first < 48 || first > 57 || (first === 48 && key.length > 1)) return -1;
  const value = Number(key);
  return Number.isInteger(value) && value < 2 ** 32 - 1 ? value : -1;
}

/**
 * The observations at `positions` of `observations`: for a SampleTable's rows another such view (so a
 * check's share of a million samples is a list of indices, not of objects), else a plain array.
 */
export function subsetOf(observations: readonly Observation[], positions: Uint32Array): Observation[] {
  const source = views.get(observations);
  if (source === undefined) return Array.from(positions, (i) => observations[i] as Observation);
  const indices = source.indices === null ? positions : positions.map((i) => source.indices?.[i] ?? 0);
  return rowsView(source.table, indices, indices.length);
}

/** The row class of one table: every Observation field a getter over the table's columns or the row's line. */
function rowClass(table: SampleTable): new (index: number) => Observation {
  class Row {
    constructor(readonly index: number) {}
    get check(): string {
      return table.head(this.index).check;
    }
    get cohort(): string {
      return table.head(this.index).cohort;
    }
    get kind(): string {
      return table.head(this.index).kind;
    }
    get variant(): string | undefined {
      return table.head(this.index).variant;
    }
    get outcome(): Observation['outcome'] {
      return table.head(this.index).outcome;
    }
    get metrics(): string[] | undefined {
      return table.head(this.index).metrics;
    }
    get vantage(): string | undefined {
      return table.head(this.index).vantage;
    }
    get seq(): number {
      return table.number('seq', this.index) ?? 0;
    }
    get round(): number | undefined {
      return table.number('round', this.index);
    }
    get scheduledNs(): number | undefined {
      return table.number('scheduledNs', this.index);
    }
    get sentNs(): number | undefined {
      return table.number('sentNs', this.index);
    }
    get latencyUs(): number | undefined {
      return table.number('latencyUs', this.index);
    }
    get exchanges(): string[] | undefined {
      return table.line(this.index).exchanges;
    }
    get data(): JsonObject | undefined {
      return table.line(this.index).data;
    }
    /** The recorded observation, as a plain object. */
    toJSON(): Observation {
      return table.line(this.index);
    }
  }
  return Row as unknown as new (index: number) => Observation;
}

/**
 * Reads lines back from a samples.ndjson by span, keeping the last one parsed (an analysis often reads
 * several fields of one sample in a row). The file is opened on first use and closed when the table
 * is collected.
 */
class LineReader {
  private fd: number | null = null;
  private buffer = Buffer.alloc(4096);
  private last: { index: number; value: Observation } | null = null;

  constructor(readonly path: string) {}

  read(index: number, offset: number, bytes: number): Observation {
    if (this.last?.index === index) return this.last.value;
    if (this.fd === null) {
      this.fd = openSync(this.path, 'r');
      closeWhenCollected.register(this, this.fd);
    }
    if (this.buffer.length < bytes) this.buffer = Buffer.alloc(Math.max(bytes, this.buffer.length * 2));
    const read = readSync(this.fd, this.buffer, 0, bytes, offset);
    const text = this.buffer.toString('utf8', 0, read);
    let value: Observation;
    try {
      value = deepFreeze(JSON.parse(text) as Observation);
    } catch {
      throw new Error(`${this.path} changed while it was being read: the sample at byte ${offset} is not JSON`);
    }
    this.last = { index, value };
    return value;
  }
}

const closeWhenCollected = new FinalizationRegistry<number>((fd) => {
  try {
    closeSync(fd);
  } catch {
    // Already closed.
  }
});

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}
