/** Legal and specification bases the checks cite (docs/architecture.md, "Legal background"). */
import type { Reference } from '../../src/core/types.js';

const DMA_URL = 'https://eur-lex.europa.eu/eli/reg/2022/1925/oj';

export const DMA_6_5: Reference = { source: 'DMA', clause: 'Art. 6(5)', url: DMA_URL };
export const DMA_6_7: Reference = { source: 'DMA', clause: 'Art. 6(7)', url: DMA_URL };
export const DMA_7: Reference = { source: 'DMA', clause: 'Art. 7', url: DMA_URL };
export const DMA_7_3: Reference = { source: 'DMA', clause: 'Art. 7(3)', url: DMA_URL };
export const EC_INTERIM: Reference = { source: 'EC interim measures (WhatsApp AI access)', clause: '2026-06-09' };
export const WA_REFERENCE_OFFER: Reference = {
  source: 'WhatsApp DMA Reference Offer',
  clause: 'Signal Protocol (2024)',
};

/** A page of the WhatsApp Cloud API reference. */
export function cloudApi(clause: string): Reference {
  return { source: 'WhatsApp Cloud API', clause };
}
