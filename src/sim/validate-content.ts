/**
 * Per-type checks of an outbound message's content object, with the limits the Cloud API documents
 * (https://developers.facebook.com/docs/whatsapp/cloud-api/reference/messages). Each returns the
 * details of the first problem (answered as error 100), or null.
 */

type Content = Record<string, unknown>;
type Validator = (content: Content) => string | null;

const MEDIA_CAPTION = new Set(['image', 'video', 'document']);

/** Problems with `content` for message `type`, or null when it is acceptable. */
export function validateContent(type: string, content: Content): string | null {
  const validator = VALIDATORS[type];
  return validator === undefined ? null : validator(content);
}

const VALIDATORS: Record<string, Validator> = {
  text: (c) => (isText(c.body, 1, 4096) ? null : 'text.body must be a string of 1 to 4096 characters'),
  image: (c) => media('image', c),
  document: (c) => media('document', c),
  audio: (c) => media('audio', c),
  video: (c) => media('video', c),
  sticker: (c) => media('sticker', c),
  location: location,
  contacts: () => null,
  interactive: interactive,
  reaction: (c) =>
    isText(c.message_id, 1, 256)
      ? typeof c.emoji === 'string'
        ? null
        : 'reaction.emoji must be a string (empty to remove the reaction)'
      : 'reaction.message_id is required',
  template: template,
};

function media(type: string, c: Content): string | null {
  const hasId = isText(c.id, 1, 256);
  const hasLink = typeof c.link === 'string' && /^https?:\/\/\S+$/.test(c.link);
  if (!hasId && !hasLink) return `${type} must have an id or an http(s) link`;
  if (hasId && hasLink) return `${type} must have either an id or a link, not both`;
  if (c.caption !== undefined && (!MEDIA_CAPTION.has(type) || !isText(c.caption, 0, 1024)))
    return `${type}.caption is not allowed or longer than 1024 characters`;
  return null;
}

function location(c: Content): string | null {
  const latitude = Number(c.latitude);
  const longitude = Number(c.longitude);
  if (c.latitude === undefined || !Number.isFinite(latitude) || Math.abs(latitude) > 90)
    return 'location.latitude must be a number from -90 to 90';
  if (c.longitude === undefined || !Number.isFinite(longitude) || Math.abs(longitude) > 180)
    return 'location.longitude must be a number from -180 to 180';
  return null;
}

function interactive(c: Content): string | null {
  const action = asObject(c.action);
  if (action === null) return 'interactive.action is required';
  const needsBody = c.type === 'button' || c.type === 'list' || c.type === 'cta_url';
  if (needsBody && !isText(asObject(c.body)?.text, 1, 1024))
    return 'interactive.body.text must be a string of 1 to 1024 characters';
  switch (c.type) {
    case 'button':
      return buttons(action.buttons);
    case 'list':
      return list(action);
    case 'cta_url': {
      const parameters = asObject(action.parameters);
      if (action.name !== 'cta_url' || parameters === null)
        return 'interactive.action must be {name:"cta_url", parameters:{display_text, url}}';
      if (!isText(parameters.display_text, 1, 20))
        return 'interactive.action.parameters.display_text must be 1 to 20 characters';
      return typeof parameters.url === 'string' && /^https?:\/\/\S+$/.test(parameters.url)
        ? null
        : 'interactive.action.parameters.url must be an http(s) URL';
    }
    case 'product':
    case 'product_list':
    case 'catalog_message':
    case 'flow':
    case 'location_request_message':
    case 'call_permission_request':
      return null;
    default:
      return `interactive.type ${JSON.stringify(c.type)} is not supported`;
  }
}

function buttons(value: unknown): string | null {
  if (!Array.isArray(value) || value.length < 1 || value.length > 3)
    return 'interactive.action.buttons must hold 1 to 3 buttons';
  for (const [i, button] of value.entries()) {
    const reply = asObject(asObject(button)?.reply);
    if (asObject(button)?.type !== 'reply' || reply === null)
      return `interactive.action.buttons[${i}] must be {type:"reply", reply:{id, title}}`;
    if (!isText(reply.id, 1, 256) || !isText(reply.title, 1, 20))
      return `interactive.action.buttons[${i}].reply needs an id and a title of 1 to 20 characters`;
  }
  return null;
}

function list(action: Content): string | null {
  if (!isText(action.button, 1, 20)) return 'interactive.action.button must be 1 to 20 characters';
  const sections = action.sections;
  if (!Array.isArray(sections) || sections.length < 1 || sections.length > 10)
    return 'interactive.action.sections must hold 1 to 10 sections';
  const rows = sections.flatMap((section: unknown) => {
    const sectionRows = asObject(section)?.rows;
    return Array.isArray(sectionRows) ? (sectionRows as unknown[]) : [];
  });
  if (rows.length < 1 || rows.length > 10) return 'interactive.action.sections must hold 1 to 10 rows in total';
  const bad = rows.findIndex((row) => !isText(asObject(row)?.id, 1, 200) || !isText(asObject(row)?.title, 1, 24));
  return bad === -1 ? null : `row ${bad} needs an id and a title of 1 to 24 characters`;
}

function template(c: Content): string | null {
  if (!isText(c.name, 1, 512)) return 'template.name is required';
  if (!isText(asObject(c.language)?.code, 2, 15)) return 'template.language.code is required';
  if (c.components !== undefined && !Array.isArray(c.components)) return 'template.components must be an array';
  return null;
}

/** Graph accepts object parameters JSON-encoded as strings (some SDKs send `contacts` that way). */
export function asObjectOrEncoded(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value) as unknown;
  } catch {
    return value;
  }
}

function asObject(value: unknown): Content | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Content) : null;
}

function isText(value: unknown, min: number, max: number): value is string {
  return typeof value === 'string' && value.length >= min && value.length <= max;
}
