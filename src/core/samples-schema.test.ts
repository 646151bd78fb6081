import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { packagePath } from './paths.js';
import { OUTCOMES } from './types.js';

describe('schemas/samples.schema.json', () => {
  const schema = JSON.parse(readFileSync(packagePath('schemas', 'samples.schema.json'), 'utf8')) as {
    properties: { outcome: { enum: string[] } };
  };

  it('admits every outcome the harness records, and no other', () => {
    expect(schema.properties.outcome.enum).toEqual([...OUTCOMES]);
  });
});
