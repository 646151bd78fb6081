/** Reading Graph API answers: error codes and message ids (https://developers.facebook.com/docs/graph-api/guides/error-handling). */

/** `error.code` of a Graph error body, or null. */
export function graphErrorCode(json: unknown): number | null {
  const code = (json as { error?: { code?: unknown } } | undefined)?.error?.code;
  return typeof code === 'number' ? code : null;
}

/** `error.message` of a Graph error body, or null. */
export function graphErrorMessage(json: unknown): string | null {
  const message = (json as { error?: { message?: unknown } } | undefined)?.error?.message;
  return typeof message === 'string' ? message : null;
}

/** The first `messages[].id` of a send response, or null. */
export function messageId(json: unknown): string | null {
  const id = (json as { messages?: Array<{ id?: unknown }> } | undefined)?.messages?.[0]?.id;
  return typeof id === 'string' ? id : null;
}
