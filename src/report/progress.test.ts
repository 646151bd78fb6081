import { describe, expect, it } from 'vitest';
import { createProgress } from './progress.js';

function feed(options: { isTty?: boolean; isGithub?: boolean }): string {
  let out = '';
  let t = 0;
  const progress = createProgress({ ...options, write: (text) => (out += text), now: () => (t += 1500) });
  progress.log('PAR-LAT-001 Send-message latency parity');
  progress.log('PAR-LAT-001 (text): 930 requests launched');
  progress.log('PAR-FEE-001 No extra fees for third-party assistants');
  progress.done();
  return out;
}

describe('createProgress', () => {
  it('prints plain lines when stderr is not a terminal', () => {
    expect(feed({})).toBe(
      'PAR-LAT-001 Send-message latency parity\nPAR-LAT-001 (text): 930 requests launched\nPAR-FEE-001 No extra fees for third-party assistants\n',
    );
  });

  it('groups the lines of each check under GitHub Actions', () => {
    expect(feed({ isGithub: true })).toBe(
      '::group::PAR-LAT-001 Send-message latency parity\nPAR-LAT-001 (text): 930 requests launched\n::endgroup::\n' +
        '::group::PAR-FEE-001 No extra fees for third-party assistants\n::endgroup::\n',
    );
  });

  it('redraws one status line with the check count and elapsed time on a terminal', () => {
    const out = feed({ isTty: true });
    expect(out).toContain('\r\u001b[2K[check 1 · 0:01 elapsed] PAR-LAT-001 Send-message latency parity');
    expect(out).toContain('\r\u001b[2KPAR-LAT-001 (text): 930 requests launched\n[check 1 ·');
    expect(out).toContain('[check 2 · 0:04 elapsed] PAR-FEE-001');
    expect(out).toMatch(/\r\u001b\[2K2 checks run in 0:\d\d\n$/);
  });
});

/** A terminal display on a clock the test moves by hand. */
function terminal(options: { width?: number } = {}) {
  let out = '';
  let t = 0;
  const progress = createProgress({ ...options, isTty: true, write: (text) => (out += text), now: () => t });
  return {
    progress,
    at: (ms: number) => (t = ms),
    /** The status line as last drawn. */
    last: () => out.slice(out.lastIndexOf('\r\u001b[2K') + 5),
    out: () => out,
  };
}

describe('createProgress with the engine’s progress', () => {
  it('shows the position, samples so far of planned, elapsed time and an at-most ETA from the observed rate', () => {
    const { progress, at, last } = terminal();
    progress.update({ kind: 'check', check: 'PAR-LAT-001', index: 7, total: 24 });
    progress.log('PAR-LAT-001 Send-message latency parity');
    expect(last()).toBe('[check 7/24 · 0:00 elapsed] PAR-LAT-001 Send-message latency parity');
    at(1_000);
    const work = { kind: 'work', check: 'PAR-LAT-001', part: 'outbound stream', unit: 'samples' } as const;
    progress.update({ ...work, done: 30, planned: 3_300 });
    // One report gives no rate yet, so no ETA.
    expect(last()).toBe('[check 7/24 · PAR-LAT-001 · 30 of 3,300 samples · 0:01 elapsed]');
    at(41_000);
    progress.update({ ...work, done: 1_230, planned: 3_300 });
    // 1,200 samples in 40 s is 30/s; 2,070 left take 69 s.
    expect(last()).toBe('[check 7/24 · PAR-LAT-001 · 1,230 of 3,300 samples · 0:41 elapsed · ETA ≤ 1:09]');
  });

  it('adds up parts that run at once and waits for the slowest', () => {
    const { progress, at, last } = terminal();
    progress.update({ kind: 'check', check: 'PAR-LAT-001', index: 1, total: 3 });
    const outbound = { kind: 'work', check: 'PAR-LAT-001', part: 'outbound stream', unit: 'samples' } as const;
    const inbound = { ...outbound, part: 'inbound stream' } as const;
    progress.update({ ...outbound, done: 0, planned: 1_000 });
    progress.update({ ...inbound, done: 0, planned: 100 });
    at(10_000);
    progress.update({ ...outbound, done: 500, planned: 1_000 });
    at(10_500);
    progress.update({ ...inbound, done: 10, planned: 100 });
    // outbound: 500 left at 50/s (10 s); inbound: 90 left at 0.95/s (95 s).
    expect(last()).toBe('[check 1/3 · PAR-LAT-001 · 510 of 1,100 samples · 0:10 elapsed · ETA ≤ 1:34]');
  });

  it('credits a part to the check now running, and shows the next check without the last one’s work', () => {
    const { progress, at, last } = terminal();
    progress.update({ kind: 'check', check: 'PAR-LAT-001', index: 1, total: 2 });
    progress.update({ kind: 'work', check: 'PAR-LAT-001', part: 'fee probe', unit: 'requests', done: 4, planned: 8 });
    progress.update({ kind: 'check', check: 'PAR-RL-002', index: 2, total: 2 });
    progress.log('PAR-RL-002 Empirical throughput limit parity');
    expect(last()).toBe('[check 2/2 · 0:00 elapsed] PAR-RL-002 Empirical throughput limit parity');
    at(3_723_000);
    const probe = { kind: 'work', check: 'PAR-RL-002', part: 'rate-limit probe', unit: 'requests' } as const;
    progress.update({ ...probe, done: 100, planned: 400 });
    expect(last()).toBe('[check 2/2 · PAR-RL-002 · 100 of 400 requests · 1:02:03 elapsed]');
  });

  it('redraws for work at most every 200 ms and cuts the line to the terminal’s width', () => {
    const { progress, at, out, last } = terminal({ width: 40 });
    progress.update({ kind: 'check', check: 'PAR-LAT-001', index: 1, total: 1 });
    progress.log('PAR-LAT-001 Send-message latency parity');
    const work = { kind: 'work', check: 'PAR-LAT-001', part: 'outbound stream', unit: 'samples' } as const;
    const before = out().length;
    at(100);
    progress.update({ ...work, done: 1, planned: 10 });
    expect(out().length).toBe(before);
    at(250);
    progress.update({ ...work, done: 2, planned: 10 });
    expect(last()).toBe('[check 1/1 · PAR-LAT-001 · 2 of 10 sam…');
    expect(last()).toHaveLength(39);
  });

  it('keeps the whole line when the terminal reports no width', () => {
    const { progress, last } = terminal({ width: 0 });
    progress.log('PAR-LAT-001 Send-message latency parity');
    expect(last()).toBe('[check 1 · 0:00 elapsed] PAR-LAT-001 Send-message latency parity');
  });

  it('writes nothing for work when stderr is not a terminal, and nothing per report under GitHub Actions', () => {
    for (const options of [{}, { isGithub: true, isTty: true }]) {
      let out = '';
      const progress = createProgress({ ...options, write: (text) => (out += text), now: () => 0 });
      progress.update({ kind: 'check', check: 'PAR-LAT-001', index: 1, total: 1 });
      progress.log('PAR-LAT-001 Send-message latency parity');
      const written = out;
      for (let done = 1; done <= 5; done += 1)
        progress.update({ kind: 'work', check: 'PAR-LAT-001', part: 'p', unit: 'samples', done, planned: 5 });
      expect(out).toBe(written);
    }
  });

  it('prints the closing line once however often it is closed', () => {
    const { progress, out } = terminal();
    progress.log('PAR-LAT-001 Send-message latency parity');
    progress.done();
    progress.done();
    expect(out().match(/1 check run in/g)).toHaveLength(1);
  });
});
