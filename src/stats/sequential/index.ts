// Anytime-valid sequential comparisons (docs/architecture.md, "Shared streams"): looks on prefixes and replays.
export { bettingBound, capOf, logWealth, plugInBets } from './betting.js';
export { differences, replayErrorRateLooks, sequentialErrorRateLook } from './error-rate.js';
export type { ErrorRateLook, ErrorRateLookOptions, ErrorRateReplay, ErrorRateReplayOptions } from './error-rate.js';
export {
  clippedNormalMoments,
  latencyMdePct,
  logRatios,
  replayLatencyLooks,
  sequentialLatencyLook,
} from './latency.js';
export type {
  FailRule,
  LatencyLook,
  LatencyLookOptions,
  LatencyMdeOptions,
  LatencyReplay,
  LatencyReplayOptions,
  LookDecision,
} from './latency.js';
export { lookSizes, replayLooks } from './replay.js';
export type { LookTrace, Replay, ReplayDecision, ReplayOptions } from './replay.js';
export { maxLogScoreWealth, predictableScales, robustSd, scoreBound } from './score-betting.js';
export { errorRateMdePp } from './error-rate-mde.js';
export type { ErrorRateMdeOptions } from './error-rate-mde.js';
