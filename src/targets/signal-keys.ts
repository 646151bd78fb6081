/** The interop adapter: Signal-Server-shaped key and message endpoints, bound to one cohort's interop token. */
import type { InteropConfig } from '../config/types.js';
import type { HttpClient } from '../http/client.js';
import type { HttpExchange } from '../http/types.js';
import type { CallOptions, InteropApi } from './types.js';

/** Creates the adapter for one cohort. */
export function createSignalKeys(options: {
  http: HttpClient;
  interop: InteropConfig;
  cohort: string;
  token: string;
}): InteropApi {
  const { http, interop, cohort, token } = options;
  const root = interop.baseUrl.replace(/\/+$/, '');
  const call = (method: string, path: string, json: unknown, opts: CallOptions): Promise<HttpExchange> =>
    http.request({
      method,
      url: `${root}${path}`,
      headers: { authorization: `Bearer ${token}` },
      ...(json === undefined ? {} : { json }),
      cohort,
      check: opts.check,
      ...(opts.scheduledNs === undefined ? {} : { scheduledNs: opts.scheduledNs }),
    });
  const segment = encodeURIComponent;
  return {
    cohort,
    putKeys: (body, opts) => call('PUT', '/v2/keys', body, opts),
    getKeys: (identifier, deviceId, opts) =>
      call('GET', `/v2/keys/${segment(identifier)}/${segment(deviceId)}`, undefined, opts),
    putMessages: (destination, body, opts) => call('PUT', `/v1/messages/${segment(destination)}`, body, opts),
    getMessages: (opts) => call('GET', '/v1/messages', undefined, opts),
    ackMessage: (guid, opts) => call('DELETE', `/v1/messages/uuid/${segment(guid)}`, undefined, opts),
  };
}
