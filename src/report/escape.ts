/**
 * Escaping for every string that comes from a bundle: a hostile target controls response bodies,
 * error messages and therefore summaries, so nothing is trusted in any output format.
 */

// XML 1.0 allows only tab, newline, carriage return and characters from U+0020 on (minus surrogates and U+FFFE/F).
const XML_INVALID = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(XML_INVALID, '\uFFFD')
    .replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);
}

/** Escapes text for XML content and attributes, replacing characters XML 1.0 cannot carry. */
export function escapeXml(value: unknown): string {
  return escapeHtml(value);
}

/** Escapes text for one Markdown table cell or line: no HTML, no links (brackets are escaped), no emphasis, no line breaks. */
export function escapeMarkdown(value: unknown): string {
  return (
    String(value)
      .replace(XML_INVALID, '\uFFFD')
      .replace(/\r?\n|\r/g, ' ')
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      .replace(/[\\`*_[\]#|~]/g, (c) => `\\${c}`)
      // A line may not start a list, a numbered item or a heading underline.
      .replace(/^(\s*)([-+=]+|\d+\.)(?=\s|$)/, '$1\\$2')
  );
}

/** Turns any id into a safe, distinct fragment identifier (letters, digits, `-` and `.` pass unchanged). */
export function anchorId(prefix: string, id: string): string {
  return `${prefix}-${id.replace(/[^A-Za-z0-9.-]/g, (c) => `_${c.codePointAt(0)?.toString(16) ?? ''}_`)}`;
}

/** An http(s) URL safe to link to, or null (so `javascript:` and friends are shown as text only). */
export function safeHttpUrl(value: string | undefined): string | null {
  if (value === undefined) return null;
  try {
    const url = new URL(value);
    return url.protocol === 'https:' || url.protocol === 'http:' ? url.href : null;
  } catch {
    return null;
  }
}
