import { describe, expect, it } from 'vitest';
import { nodeFlagsLine, SERVER_NODE_FLAGS } from './node-flags.js';

describe('nodeFlagsLine', () => {
  it('lists the flags given on the command line or in NODE_OPTIONS, with their values', () => {
    expect(nodeFlagsLine(['--max-semi-space-size=32'])).toBe('--max-semi-space-size=32');
    expect(nodeFlagsLine([], '--enable-source-maps  --max-semi-space-size=64')).toBe(
      '--max-semi-space-size=64',
    );
    // V8 reads a flag's dashes and underscores alike.
    expect(nodeFlagsLine(['--inspect', '--max_semi_space_size=16'])).toBe(
      '--max_semi_space_size=16',
    );
  });

  it('names the missing ones and where to read why', () => {
    const line = nodeFlagsLine(['--enable-source-maps'], '--max-old-space-size=4096');
    expect(line).toBe(
      `run node with ${SERVER_NODE_FLAGS.join(' ')} for less CPU a send under load (docs/deploy.md)`,
    );
  });
});
