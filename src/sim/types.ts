/** Types shared by the reference platform's surfaces (business API, webhooks, user driver, interop). */
import type { IncomingHttpHeaders } from 'node:http';

export type SimRole = 'reference' | 'subject' | 'control';

/** One account on the platform: an assistant or business with its phone number and tokens. */
export interface SimCohort {
  id: string;
  label: string;
  role: SimRole;
  token: string;
  phoneNumberId: string;
  interopToken: string;
}

export type Distribution =
  | { dist: 'constant'; ms: number }
  | { dist: 'lognormal'; medianMs: number; sigma: number }
  | { dist: 'uniform'; minMs: number; maxMs: number };

export interface FeeTreatment {
  perMessage: number;
  currency: string;
  freeQuota: number;
  header: string;
  billable: boolean;
}

export interface RateLimitTreatment {
  ratePerSec: number;
  burst: number;
  advertise: boolean;
}

export interface DisabledType {
  type: string;
  code: number;
  message?: string;
}

export interface PolicyBlock {
  code: number;
  message?: string;
  afterMessages: number;
}

export interface E2eeTreatment {
  kyberPreKey: boolean;
  badSignature: boolean;
  substituteIdentityKey: boolean;
  oneTimePreKeys: number;
  tamperRelay: boolean;
}

/** How the platform treats one role, with every default applied. */
export interface Treatment {
  latency: { default: Distribution; byType: Record<string, Distribution> };
  fees: FeeTreatment | null;
  rateLimit: RateLimitTreatment | null;
  disabledTypes: DisabledType[];
  policyBlock: PolicyBlock | null;
  webhookDelay: Distribution;
  statusDelay: Distribution;
  e2ee: E2eeTreatment;
}

export interface Faults {
  errorRate: number;
  resetRate: number;
  stallRate: number;
  stallMs: number;
}

export interface Scenario {
  name: string;
  description: string;
  expectFail: string[];
  treatments: Record<SimRole, Treatment>;
  faults: Faults;
}

/** A parsed request as every surface of the sim sees it. */
export interface SimRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  rawBody: Buffer;
  /** The parsed JSON body, or undefined when absent or not JSON. */
  json: unknown;
}

/** What a surface answers; the server applies delay and faults, then writes it. */
export interface SimResponse {
  status: number;
  headers?: Record<string, string>;
  json?: unknown;
  body?: string;
  /** Hold the response this long before writing it (the role's latency). */
  delayMs?: number;
  /** Destroy the socket instead of answering. */
  isReset?: boolean;
}

/** A surface: answers the requests it owns, returns undefined for the rest. */
export type SimRoute = (request: SimRequest) => Promise<SimResponse | undefined> | SimResponse | undefined;

/** A treatment as written in a file: any field may be absent, and nested defaults may be omitted. */
export type PartialTreatment = Partial<Omit<Treatment, 'latency' | 'e2ee' | 'fees' | 'rateLimit' | 'policyBlock'>> & {
  latency?: Partial<Treatment['latency']>;
  e2ee?: Partial<E2eeTreatment>;
  fees?: (Partial<FeeTreatment> & Pick<FeeTreatment, 'perMessage' | 'currency'>) | null;
  rateLimit?: (Partial<RateLimitTreatment> & Pick<RateLimitTreatment, 'ratePerSec' | 'burst'>) | null;
  policyBlock?: (Partial<PolicyBlock> & Pick<PolicyBlock, 'code'>) | null;
};

export interface ScenarioFile {
  name: string;
  description: string;
  expectFail: string[];
  base: PartialTreatment;
  roles?: Partial<Record<SimRole, PartialTreatment>>;
  faults?: Partial<Faults>;
}
