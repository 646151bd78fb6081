import normalCdf from '@stdlib/stats-base-dists-normal-cdf';

/**
 * One-sided p-value for "the subject's rate is lower than the reference's" from accepted counts over
 * exposure times: conditional on the total, the subject's count is binomial under equal rates (normal
 * approximation with continuity correction). Token buckets vary less than Poisson counts, so this is
 * conservative.
 */
export function rateLowerP(
  subject: { accepted: number; seconds: number },
  reference: { accepted: number; seconds: number },
): number {
  const n = subject.accepted + reference.accepted;
  const exposure = subject.seconds + reference.seconds;
  if (n === 0 || exposure <= 0 || subject.seconds <= 0 || reference.seconds <= 0) return 1;
  const share = subject.seconds / exposure;
  const sd = Math.sqrt(n * share * (1 - share));
  return Math.min(1, Math.max(0, normalCdf((subject.accepted + 0.5 - n * share) / sd, 0, 1)));
}
