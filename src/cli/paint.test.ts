import { describe, expect, it } from 'vitest';
import { PLAIN_PAINT } from '../report/console.js';
import { consolePaint, isColourOff } from './paint.js';

describe('consolePaint', () => {
  it('turns colour off for a non-empty NO_COLOR unless FORCE_COLOR is set', () => {
    expect(isColourOff({ NO_COLOR: '1' })).toBe(true);
    expect(isColourOff({ NO_COLOR: '' })).toBe(false);
    expect(isColourOff({ NO_COLOR: '1', FORCE_COLOR: '1' })).toBe(false);
    expect(isColourOff({})).toBe(false);
    expect(consolePaint({ NO_COLOR: '1' })).toBe(PLAIN_PAINT);
    expect(consolePaint({ NO_COLOR: '1' }).verdict('fail', 'FAIL')).toBe('FAIL');
  });
});
