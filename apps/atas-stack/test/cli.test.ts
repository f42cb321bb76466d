import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../packages/server/test/helpers/free-port.js';

// `npm start` is `node apps/atas-stack/dist/cli.js`: run it as a newcomer would, read what
// it prints, log in with a printed account, press Ctrl+C, start it again on the same data.

const CLI = fileURLToPath(new URL('../dist/cli.js', import.meta.url));

interface Run {
  output: () => string;
  waitFor: (text: string, ms: number) => Promise<void>;
  interrupt: () => Promise<number | null>;
}

function runCli(args: string[]): Run {
  let output = '';
  const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  return {
    output: () => output,
    async waitFor(text, ms) {
      const deadline = Date.now() + ms;
      while (!output.includes(text)) {
        if (child.exitCode !== null) throw new Error(`exited (${child.exitCode}):\n${output}`);
        if (Date.now() > deadline) throw new Error(`no "${text}" after ${ms} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    },
    async interrupt() {
      child.kill('SIGINT');
      return exited;
    },
  };
}

async function refused(url: string): Promise<boolean> {
  try {
    await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return false;
  } catch {
    return true;
  }
}

describe('npm start (the atas CLI)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'atas-cli-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('starts all three, prints the accounts, stops cleanly on Ctrl+C, and reuses the data', async () => {
    const ports = [await freePort(), await freePort(), await freePort()];
    const args = [
      ...['--data-dir', dataDir, '--port', String(ports[0])],
      ...['--api-port', String(ports[1]), '--parley-port', String(ports[2])],
    ];
    const first = runCli(args);
    await first.waitFor('Press Ctrl+C to stop.', 180_000);
    const text = first.output();
    expect(text).toContain(`Open            http://127.0.0.1:${ports[0]}`);
    // No SMTP: the banner links the dev mailbox, which lists the emails of the data folder.
    expect(text).toContain(`Dev mailbox     http://127.0.0.1:${ports[0]}/dev/mail`);
    expect((await fetch(`http://127.0.0.1:${ports[0]}/dev/mail`)).status).toBe(200);
    const accounts = [...text.matchAll(/^\s+(organizer|speaker)\s+(\S+)\s+password (\S+)/gm)];
    expect(accounts.map((m) => m[1])).toEqual(['organizer', 'speaker', 'speaker']);
    const [, , email, password] = accounts[0]!;

    // A printed account logs in through the printed address.
    const login = await fetch(`http://127.0.0.1:${ports[0]}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(login.status).toBe(200);
    expect(statSync(join(dataDir, 'atas', 'demo-accounts.json')).mode & 0o777).toBe(0o600);

    expect(await first.interrupt()).toBe(0);
    expect(first.output()).toContain('Stopped.');
    for (const port of ports) expect(await refused(`http://127.0.0.1:${port}/`)).toBe(true);

    // Second start: same data, same accounts, nothing seeded twice.
    const second = runCli(args);
    await second.waitFor('Press Ctrl+C to stop.', 180_000);
    expect(second.output()).toContain(`password ${password}`);
    const session = (await login.json()) as { user: { id: string } };
    const again = await fetch(`http://127.0.0.1:${ports[0]}/api/session`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email, password }),
    });
    expect(((await again.json()) as { user: { id: string } }).user.id).toBe(session.user.id);
    const cookie = (again.headers.get('set-cookie') ?? '').split(';')[0]!;
    const list = await fetch(`http://127.0.0.1:${ports[0]}/api/v1/invitations`, {
      headers: { cookie },
    });
    expect(((await list.json()) as { invitations: unknown[] }).invitations).toHaveLength(2);
    expect(await second.interrupt()).toBe(0);
  }, 400_000);

  it('prints its help', async () => {
    const run = runCli(['--help']);
    await run.waitFor('Ctrl+C stops all three.', 10_000);
    expect(run.output()).toContain('--data-dir <path>');
  });
});
