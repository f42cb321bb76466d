import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SERVER_NODE_FLAGS } from '../../packages/server/src/node-flags.js';
import { unitExecStart } from './helpers/systemd-unit.js';

// The server is measured with SERVER_NODE_FLAGS (the bench, `npm start`); what starts it
// elsewhere in the repository must give the same.
describe('the Node flags a server is started with', () => {
  it('are the systemd unit’s, before the server CLI', () => {
    const { program, nodeFlags, script } = unitExecStart();
    expect(program).toMatch(/\/node$/);
    expect(script).toMatch(/packages\/server\/dist\/cli\.js$/);
    expect(nodeFlags).toEqual(SERVER_NODE_FLAGS);
  });

  it('are those of `npm run server`', () => {
    const root = new URL('../../package.json', import.meta.url);
    const { scripts } = JSON.parse(readFileSync(root, 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(scripts['server']).toContain(
      `node ${SERVER_NODE_FLAGS.join(' ')} packages/server/dist/cli.js`,
    );
  });
});
