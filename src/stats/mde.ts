import normalQuantile from '@stdlib/stats-base-dists-normal-quantile';

/**
 * Minimum detectable multiplicative shift, in percent, for a one-sided test at level alpha
 * with the given power on log values (normal approximation to the difference of log means,
 * which for log-normal data is the log of the ratio of medians):
 * δ = (z_(1−α) + z_power) · sdLog · sqrt(1/nReference + 1/nSubject), reported as (e^δ − 1)·100.
 */
export function mdePct(nReference: number, nSubject: number, sdLog: number, alpha: number, power = 0.8): number {
  if (!(nReference > 0 && nSubject > 0)) throw new RangeError('mdePct needs positive sample sizes');
  if (!(alpha > 0 && alpha < 1 && power > 0 && power < 1)) throw new RangeError('alpha and power must be in (0, 1)');
  const zSum = normalQuantile(1 - alpha, 0, 1) + normalQuantile(power, 0, 1);
  const delta = zSum * sdLog * Math.sqrt(1 / nReference + 1 / nSubject);
  return Math.expm1(delta) * 100;
}
