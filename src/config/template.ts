/** Config templates for real targets (`dma-audit init`): valid JSON whose notes live in a top-level `$comment`. */
import { writeFile } from 'node:fs/promises';
import { OutputError, UsageError } from '../core/errors.js';

/** Targets `init` can write a template for. */
export const INIT_TARGETS = ['whatsapp-cloud'] as const;
export type InitTarget = (typeof INIT_TARGETS)[number];

/** Environment variables the template reads its secrets from. */
export const TEMPLATE_ENV = ['REF_TOKEN', 'SUBJECT_TOKEN', 'APP_SECRET', 'VERIFY_TOKEN'] as const;

const NOTES = [
  'dma-audit config for the WhatsApp Business Platform (Cloud API). Validate and run it with: dma-audit run --config <this file>.',
  'Secrets are never written here: env:NAME reads the environment variable NAME. Set REF_TOKEN, SUBJECT_TOKEN, APP_SECRET and VERIFY_TOKEN before a run.',
  'cohorts: one reference (the gatekeeper’s own assistant, or an account ' +
    'treated like it) and one or more subjects (third-party assistants). ' +
    'Replace each phoneNumberId with the number id from WhatsApp ' +
    'Manager; each token is a system-user access token of that business.',
  'recipient.waId: a test user you control who has messaged every cohort’s number within the last 24 hours (otherwise free-form sends fail with 131047).',
  'webhook: the harness listens on webhook.listen; Meta must reach it, so run a ' +
    'tunnel to that port and put its https URL in webhook.publicUrl. appSecret is ' +
    'the Meta app’s secret (it signs webhooks); verifyToken is any string you choose. ' +
    'Each cohort’s number is pointed at the callback with the webhook override.',
  'limits: every request of a run counts against maxRequests and maxRps; keep ' +
    'them low against production. analysis.latencyRps is low on purpose: every ' +
    'probe goes to the same recipient, and the Cloud API limits each (business ' +
    'number, user) pair to about one message every 6 seconds (error 131056).',
  'analysis.design "sequential" stops each comparison as soon as it is decided (anytime-valid), after at most ' +
    'analysis.maxSamples text rounds per cohort (a twentieth, at least 15, for other types); "fixed" runs to analysis.samples.',
  'Run dma-audit run --config <this file> --dry-run first: it prints the most requests per cohort, the longest time ' +
    'and the smallest detectable effect, and sends nothing.',
  'Without target.userDriver no test user can be made ' +
    'to write to the assistants, so inbound checks ' +
    '(PAR-LAT-002, PAR-FEAT-002) are skipped. Without ' +
    'target.interop the E2EE and CONF-KEY checks are skipped.',
  'Docs: docs/real-platform.md.',
];

/** The template for a target; it passes schemas/config.schema.json once TEMPLATE_ENV are set. */
export function configTemplate(target: InitTarget): Record<string, unknown> {
  void target;
  return {
    $schema: 'https://dma-audit.dev/schemas/config.schema.json',
    $comment: NOTES,
    target: {
      name: 'WhatsApp Business Platform (Cloud API)',
      businessApi: {
        kind: 'whatsapp-cloud',
        baseUrl: 'https://graph.facebook.com',
        apiVersion: 'v24.0',
        feeHeaders: [],
        timeoutMs: 15000,
      },
    },
    cohorts: [
      {
        id: 'reference',
        label: 'Gatekeeper’s own assistant (reference)',
        role: 'reference',
        token: 'env:REF_TOKEN',
        phoneNumberId: '100000000000001',
      },
      {
        id: 'assistant',
        label: 'Third-party AI assistant',
        role: 'subject',
        token: 'env:SUBJECT_TOKEN',
        phoneNumberId: '100000000000002',
      },
    ],
    recipient: { waId: '15550001234' },
    webhook: {
      listen: '127.0.0.1:8787',
      publicUrl: 'https://replace-with-your-tunnel.example/webhook',
      appSecret: 'env:APP_SECRET',
      verifyToken: 'env:VERIFY_TOKEN',
    },
    limits: { maxRps: 5, maxRequests: 3000, maxRequestsPerCohort: 1200, timeoutMs: 15000 },
    analysis: { design: 'sequential', maxSamples: 60, samples: 60, warmup: 3, latencyRps: 0.3, feeProbeMessages: 20 },
  };
}

export interface InitOptions {
  target?: string;
  out?: string;
  force?: boolean;
}

/** Writes the template; refuses to overwrite a file unless `force`. Returns the file written. */
export async function writeConfigTemplate(options: InitOptions): Promise<string> {
  const target = options.target ?? 'whatsapp-cloud';
  if (!(INIT_TARGETS as readonly string[]).includes(target))
    throw new UsageError(`unknown target "${target}"`, `init knows: ${INIT_TARGETS.join(', ')}`);
  const file = options.out ?? 'dma-audit.config.json';
  try {
    await writeFile(file, `${JSON.stringify(configTemplate(target as InitTarget), null, 2)}\n`, {
      flag: options.force === true ? 'w' : 'wx',
    });
  } catch (error: unknown) {
    const isExisting = (error as NodeJS.ErrnoException).code === 'EEXIST';
    throw isExisting
      ? new UsageError(`${file} already exists`, 'pass --force to overwrite it, or --out to write elsewhere')
      : new OutputError(`cannot write ${file}: ${(error as Error).message}`, error);
  }
  return file;
}
