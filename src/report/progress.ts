/**
 * Progress of a run on stderr, from the engine's log lines and its structured progress: a status line
 * redrawn in place on a terminal, collapsible groups under GitHub Actions (workflow commands
 * `::group::`/`::endgroup::`, https://docs.github.com/actions/reference/workflow-commands-for-github-actions),
 * plain lines otherwise. Only the terminal shows samples and an ETA; the other two get one line per
 * check and per log message, never one per batch.
 */
import type { CheckProgress, ProgressUnit, RunProgress } from '../core/progress.js';

/** Where progress goes and how it looks. */
export interface ProgressOptions {
  write: (text: string) => void;
  /** stderr is a terminal: keep one status line and redraw it. */
  isTty?: boolean;
  /** Running under GitHub Actions: one log group per check. */
  isGithub?: boolean;
  /** Milliseconds since some origin; `Date.now` by default. */
  now?: () => number;
  /** Colours detail lines on a terminal; none by default. */
  dim?: (text: string) => string;
  /** Columns of the terminal: a longer status line is cut, since a wrapped one cannot be redrawn in place (0: unknown). */
  width?: number;
  /** Least milliseconds between two redraws for work updates (200 by default). */
  redrawMs?: number;
}

/** Feeds log lines and progress in, and closes the display when the run ends. */
export interface Progress {
  log(message: string): void;
  update(progress: RunProgress): void;
  done(): void;
}

/** `PAR-LAT-001 Send-message latency parity` starts a check; `PAR-LAT-001 (text): …` is a detail of it. */
const CHECK_START = /^[A-Z0-9]+-[A-Z0-9]+-\d{3} [^(:]/;
const CLEAR_LINE = '\r\u001b[2K';
const COUNT = new Intl.NumberFormat('en-US');

/** One part's counts, with its first report as the baseline of its rate. */
interface PartState {
  unit: ProgressUnit;
  done: number;
  planned: number;
  at: number;
  firstDone: number;
  firstAt: number;
  /** The check (by start count) the part last reported under. */
  check: number;
}

/** `m:ss`, or `h:mm:ss` from an hour on. */
function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const [h, m, s] = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60];
  const pad = (n: number): string => String(n).padStart(2, '0');
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`;
}

/** `1,230 of 3,300 samples`, one per unit, the parts of each summed. */
function counts(parts: readonly PartState[]): string[] {
  const units = [...new Set(parts.map((p) => p.unit))];
  return units.map((unit) => {
    const own = parts.filter((p) => p.unit === unit);
    const sum = (key: 'done' | 'planned'): number => own.reduce((total, p) => total + p[key], 0);
    return `${COUNT.format(sum('done'))} of ${COUNT.format(sum('planned'))} ${unit}`;
  });
}

/** Time left at most: the slowest part's remaining planned work at its observed rate; null until every part has a rate. */
function etaOf(parts: readonly PartState[]): number | null {
  let longest = 0;
  for (const part of parts) {
    if (part.done >= part.planned) continue;
    const rate = (part.done - part.firstDone) / (part.at - part.firstAt);
    if (!(rate > 0) || !Number.isFinite(rate)) return null;
    longest = Math.max(longest, (part.planned - part.done) / rate);
  }
  return longest;
}

/** What the status line shows: where the run is and the parts of the check now running. */
interface DisplayState {
  started: number;
  /** Checks started, by their log lines (the position when the engine gives none). */
  checks: number;
  /** Checks started, by the engine's progress; a part belongs to the check it last reported under. */
  starts: number;
  position: { check: string; index: number; total: number } | null;
  /** The log line that started the check now running. */
  current: string;
  parts: Map<string, PartState>;
}

/** `[check 7/24 · PAR-LAT-001 · 1,230 of 3,300 samples · 0:41 elapsed · ETA ≤ 0:52]`, or the check's title until it reports work. */
function statusLine(state: DisplayState, at: number): string {
  const { position } = state;
  const elapsed = `${clock(at - state.started)} elapsed`;
  const where = position === null ? `check ${state.checks}` : `check ${position.index}/${position.total}`;
  const working = [...state.parts.values()].filter((p) => p.check === state.starts);
  if (position === null || working.length === 0) return `[${where} · ${elapsed}] ${state.current}`;
  const eta = etaOf(working);
  const fields = [where, position.check, ...counts(working), elapsed, ...(eta === null ? [] : [`ETA ≤ ${clock(eta)}`])];
  return `[${fields.join(' · ')}]`;
}

/** Keeps a part's latest counts, and its first report as the baseline of its rate. */
function recordPart(state: DisplayState, update: CheckProgress, at: number): void {
  const { part, unit, done, planned } = update;
  const first = state.parts.get(part) ?? { firstDone: done, firstAt: at };
  const { firstDone, firstAt } = first;
  state.parts.set(part, { unit, done, planned, at, firstDone, firstAt, check: state.starts });
}

/** A progress display for one run. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const dim = options.dim ?? ((text: string) => text);
  const state: DisplayState = { started: now(), checks: 0, starts: 0, position: null, current: '', parts: new Map() };
  let isGroupOpen = false;
  let isDone = false;
  let drawnAt = Number.NEGATIVE_INFINITY;
  // A terminal that reports no size (0 columns) gets the whole line.
  const width = options.width !== undefined && options.width > 1 ? options.width : Infinity;
  const status = (): string => {
    drawnAt = now();
    const text = statusLine(state, drawnAt);
    return text.length >= width ? `${text.slice(0, width - 2)}…` : text;
  };
  return {
    log(message) {
      const isStart = CHECK_START.test(message);
      if (isStart) {
        state.checks += 1;
        state.current = message;
      }
      if (options.isGithub === true) {
        if (isStart && isGroupOpen) options.write('::endgroup::\n');
        if (isStart) isGroupOpen = true;
        options.write(isStart ? `::group::${message}\n` : `${message}\n`);
      } else if (options.isTty === true) {
        options.write(isStart ? `${CLEAR_LINE}${status()}` : `${CLEAR_LINE}${dim(message)}\n${status()}`);
      } else options.write(`${message}\n`);
    },
    update(progress) {
      if (progress.kind === 'check') {
        state.starts += 1;
        state.position = { check: progress.check, index: progress.index, total: progress.total };
        return;
      }
      recordPart(state, progress, now());
      const isTerminal = options.isTty === true && options.isGithub !== true;
      if (isTerminal && now() - drawnAt >= (options.redrawMs ?? 200)) options.write(`${CLEAR_LINE}${status()}`);
    },
    done() {
      if (isDone) return;
      isDone = true;
      const { checks } = state;
      if (options.isGithub === true && isGroupOpen) options.write('::endgroup::\n');
      if (options.isTty === true && checks > 0)
        options.write(
          `${CLEAR_LINE}${checks} check${checks === 1 ? '' : 's'} run in ${clock(now() - state.started)}\n`,
        );
    },
  };
}
