/**
 * Progress of a run on stderr, from the engine's log lines: a status line redrawn in place on a
 * terminal, collapsible groups under GitHub Actions (workflow commands `::group::`/`::endgroup::`,
 * https://docs.github.com/actions/reference/workflow-commands-for-github-actions), plain lines otherwise.
 */

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
}

/** Feeds log lines in, and closes the display when the run ends. */
export interface Progress {
  log(message: string): void;
  done(): void;
}

/** `PAR-LAT-001 Send-message latency parity` starts a check; `PAR-LAT-001 (text): …` is a detail of it. */
const CHECK_START = /^[A-Z0-9]+-[A-Z0-9]+-\d{3} [^(:]/;
const CLEAR_LINE = '\r\u001b[2K';

function clock(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/** A progress display for one run. */
export function createProgress(options: ProgressOptions): Progress {
  const now = options.now ?? Date.now;
  const dim = options.dim ?? ((text: string) => text);
  const started = now();
  let checks = 0;
  let current = '';
  let isGroupOpen = false;
  const status = (): string => `[check ${checks} · ${clock(now() - started)} elapsed] ${current}`;
  return {
    log(message) {
      const isStart = CHECK_START.test(message);
      if (isStart) {
        checks += 1;
        current = message;
      }
      if (options.isGithub === true) {
        if (isStart && isGroupOpen) options.write('::endgroup::\n');
        if (isStart) isGroupOpen = true;
        options.write(isStart ? `::group::${message}\n` : `${message}\n`);
      } else if (options.isTty === true) {
        options.write(isStart ? `${CLEAR_LINE}${status()}` : `${CLEAR_LINE}${dim(message)}\n${status()}`);
      } else options.write(`${message}\n`);
    },
    done() {
      if (options.isGithub === true && isGroupOpen) options.write('::endgroup::\n');
      if (options.isTty === true && checks > 0)
        options.write(`${CLEAR_LINE}${checks} check${checks === 1 ? '' : 's'} run in ${clock(now() - started)}\n`);
      isGroupOpen = false;
    },
  };
}
