// Pure statistics for parity checks: no project imports, no I/O, randomness passed in.
export { bootstrapCi, medianRatio, quantileRatio } from './bootstrap.js';
export type { BootstrapOptions, Interval, Statistic } from './bootstrap.js';
export { describe, ecdf, mean, median, quantile } from './describe.js';
export type { Description } from './describe.js';
export { fisherExact } from './fisher.js';
export type { FisherResult } from './fisher.js';
export { holm } from './holm.js';
export { ksTwoSample } from './ks.js';
export type { KsResult } from './ks.js';
export { mannWhitney } from './mann-whitney.js';
export type { Alternative, MannWhitneyResult } from './mann-whitney.js';
export { mdePct } from './mde.js';
export { twoProportions } from './proportions.js';
export type { TwoProportionsResult } from './proportions.js';
export { hodgesLehmann } from './shift.js';
export type { ShiftEstimate } from './shift.js';
export { tostLog } from './tost.js';
export type { TostResult } from './tost.js';
