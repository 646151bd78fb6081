import { describe, expect, test } from 'vitest';
import { validateMessage, validateReadReceipt } from './validate-message.js';

const message = (type: string, content: unknown, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  messaging_product: 'whatsapp',
  to: '15550001234',
  type,
  [type]: content,
  ...extra,
});

describe('validateMessage', () => {
  test.each([
    ['text', { body: 'hi' }],
    ['image', { link: 'https://example.com/a.png', caption: 'c' }],
    ['audio', { id: '123' }],
    ['location', { latitude: '48.85', longitude: 2.35 }],
    ['contacts', JSON.stringify([{ name: { formatted_name: 'Ada' } }])],
    [
      'interactive',
      {
        type: 'list',
        body: { text: 'b' },
        action: { button: 'Menu', sections: [{ rows: [{ id: 'r', title: 'Row' }] }] },
      },
    ],
    [
      'interactive',
      {
        type: 'cta_url',
        body: { text: 'b' },
        action: { name: 'cta_url', parameters: { display_text: 'Go', url: 'https://example.com' } },
      },
    ],
    ['reaction', { message_id: 'wamid.x', emoji: '' }],
    ['template', { name: 'hello_world', language: { code: 'en_US' } }],
  ])('accepts a valid %s', (type, content) => {
    expect(validateMessage(message(type, content))).toBeNull();
  });

  test.each([
    ['text', { body: '' }, 'text.body must be a string of 1 to 4096 characters'],
    ['text', { body: 'x'.repeat(4097) }, 'text.body must be a string of 1 to 4096 characters'],
    ['image', { caption: 'no media' }, 'image must have an id or an http(s) link'],
    ['image', { id: '1', link: 'https://example.com/a' }, 'image must have either an id or a link, not both'],
    ['sticker', { id: '1', caption: 'no' }, 'sticker.caption is not allowed or longer than 1024 characters'],
    ['location', { latitude: 91, longitude: 0 }, 'location.latitude must be a number from -90 to 90'],
    ['contacts', [{ name: {} }], 'contacts[0].name.formatted_name is required'],
    [
      'interactive',
      { type: 'button', body: { text: 'b' }, action: { buttons: [1, 2, 3, 4] } },
      'interactive.action.buttons must hold 1 to 3 buttons',
    ],
    [
      'interactive',
      {
        type: 'button',
        body: { text: 'b' },
        action: { buttons: [{ type: 'reply', reply: { id: 'a', title: 'x'.repeat(21) } }] },
      },
      'interactive.action.buttons[0].reply needs an id and a title of 1 to 20 characters',
    ],
    ['interactive', { type: 'carousel3d', action: {} }, 'interactive.type "carousel3d" is not supported'],
    ['reaction', { emoji: '👍' }, 'reaction.message_id is required'],
    ['template', { name: 'x' }, 'template.language.code is required'],
  ])('refuses a bad %s with Cloud-API-like details', (type, content, details) => {
    expect(validateMessage(message(type, content))).toBe(details);
  });

  test('refuses an unknown type, a bad recipient and a missing product', () => {
    expect(validateMessage(message('hologram', {}))).toBe('type "hologram" is not a supported message type');
    expect(validateMessage({ ...message('text', { body: 'x' }), to: 'alice' })).toBe('to must be a phone number');
    expect(validateMessage({ ...message('text', { body: 'x' }), messaging_product: 'sms' })).toBe(
      'messaging_product must be "whatsapp"',
    );
    expect(validateMessage(message('text', { body: 'x' }, { context: { id: 1 } }))).toBe(
      'context.message_id must be a string',
    );
  });
});

describe('validateReadReceipt', () => {
  test('accepts a wamid with or without a text typing indicator', () => {
    expect(validateReadReceipt({ messaging_product: 'whatsapp', status: 'read', message_id: 'wamid.a' })).toBeNull();
    expect(
      validateReadReceipt({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.a',
        typing_indicator: { type: 'text' },
      }),
    ).toBeNull();
  });

  test('refuses a non-wamid and an unknown indicator', () => {
    expect(validateReadReceipt({ messaging_product: 'whatsapp', status: 'read', message_id: '123' })).toBe(
      'message_id must be a wamid',
    );
    expect(
      validateReadReceipt({
        messaging_product: 'whatsapp',
        status: 'read',
        message_id: 'wamid.a',
        typing_indicator: { type: 'audio' },
      }),
    ).toBe('typing_indicator.type must be "text"');
  });
});
