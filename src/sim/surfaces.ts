/** Which surface answers under which base path; the first route that answers wins. */
import { createBusinessRoute } from './business.js';
import { SIM_RECIPIENT } from './cohorts.js';
import type { SimContext } from './context.js';
import { createInteropRoute } from './interop/index.js';
import { attachStatusWebhooks } from './status-webhooks.js';
import type { SimRoute } from './types.js';
import { createUserDriverRoute } from './user-driver.js';

export interface Mount {
  prefix: string;
  route: SimRoute;
}

/** Every surface of the platform, given its shared context and its own base URL. */
export async function createSurfaces(ctx: SimContext, base: string): Promise<Mount[]> {
  void base;
  const interop = createInteropRoute({
    cohorts: [...ctx.cohorts],
    treatmentFor: (cohort) => ctx.treatment(cohort),
    recipient: SIM_RECIPIENT,
  });
  attachStatusWebhooks(ctx);
  return [
    { prefix: '/graph', route: createBusinessRoute(ctx) },
    { prefix: '/interop', route: interop.route },
    { prefix: '/_sim', route: createUserDriverRoute(ctx) },
  ];
}
