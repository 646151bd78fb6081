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
