/** The config after validation, defaults and secret resolution (schemas/config.schema.json). */
import type { AnalysisSettings } from '../core/analysis.js';

export interface BusinessApiConfig {
  kind: 'whatsapp-cloud';
  baseUrl: string;
  apiVersion: string;
  feeHeaders: string[];
  timeoutMs: number;
}

export interface InteropConfig {
  kind: 'signal-keys';
  baseUrl: string;
  recipient: string;
  deviceId: string;
  pinnedIdentityKey: string | null;
}

export interface UserDriverConfig {
  kind: 'sim-api';
  baseUrl: string;
}

export interface CohortConfig {
  id: string;
  label: string;
  role: 'reference' | 'subject';
  /** Resolved secret values; never written anywhere (see src/evidence/redact.ts). */
  token?: string;
  phoneNumberId?: string;
  interopToken?: string;
}

export interface WebhookConfig {
  listen: string;
  publicUrl: string | null;
  appSecret?: string;
  verifyToken?: string;
}

export interface LimitsConfig {
  maxRps: number;
  maxRequests: number;
  maxRequestsPerCohort: number | null;
  timeoutMs: number;
  maxBodyBytes: number;
  /** Run-wide cap on recorded body bytes; past it bodies are kept as a marker with size and sha256. */
  maxTotalBodyBytes: number;
}

/** The config's `analysis` section: the settings persisted with every run. */
export type AnalysisConfig = AnalysisSettings;

export interface AuditConfig {
  target: {
    name: string;
    businessApi?: BusinessApiConfig;
    interop?: InteropConfig;
    userDriver?: UserDriverConfig;
  };
  cohorts: CohortConfig[];
  recipient?: { waId: string };
  webhook?: WebhookConfig;
  limits: LimitsConfig;
  analysis: AnalysisConfig;
}

/** A config plus every secret value it resolved, so outputs can be scrubbed of them. */
export interface LoadedConfig {
  config: AuditConfig;
  secrets: string[];
  warnings: string[];
  /** sha256 of the canonical config with secrets replaced by their references. */
  digest: string;
}
