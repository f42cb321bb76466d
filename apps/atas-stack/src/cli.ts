#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { startStack, type Stack } from './stack.js';

const HELP = `atas — runs ATAS whole: the Parley chat server, the ATAS API and the ATAS web app

Usage: npm start [-- options]

Options:
  --data-dir <path>     One folder for all data (Parley's and ATAS's)   default ./data
  --port <n>            The web app, the address to open                 default 3000
  --api-port <n>        The ATAS API                                     default 3040
  --parley-port <n>     The Parley server                                default 3030
  --host <addr>         Interface all three listen on                    default 127.0.0.1
  --no-seed             Do not create the demo accounts and data on a first run
  --verbose             Show the services' info logs

  -h, --help            Show this help

Environment: ATAS_SMTP_URL=smtp://user:pass@host:587 sends the emails of ATAS and Parley
through SMTP (ATAS_EMAIL_FROM sets their sender); without it they are written to
<data-dir>/atas/outbox and <data-dir>/parley/mail and listed at /dev/mail.

The first start creates demo accounts and prints their passwords; later starts reuse the
data folder and print the same accounts. Ctrl+C stops all three.`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'data-dir': { type: 'string' },
      port: { type: 'string' },
      'api-port': { type: 'string' },
      'parley-port': { type: 'string' },
      host: { type: 'string' },
      'no-seed': { type: 'boolean' },
      verbose: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help === true) {
    console.log(HELP);
    return;
  }
  console.log('Starting ATAS: Parley chat server, ATAS API, ATAS web app…');
  const started = Date.now();
  let stack: Stack;
  try {
    stack = await startStack({
      dataDir: values['data-dir'],
      webPort: port(values.port, 'port'),
      apiPort: port(values['api-port'], 'api-port'),
      parleyPort: port(values['parley-port'], 'parley-port'),
      host: values.host,
      seed: values['no-seed'] !== true,
      logLevel: values.verbose === true ? 'info' : 'warn',
      log: (line) => console.log(line),
    });
  } catch (error) {
    console.error(
      `\nATAS did not start: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exitCode = 1;
    return;
  }
  console.log(`
ATAS is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s).

  Open            ${stack.webUrl}
  ATAS API        ${stack.apiUrl}
  Parley (chat)   ${stack.parleyUrl}
  Parley admin    ${stack.parleyUrl}/admin   (sign in with the secret in ${stack.dataDir}/parley/credentials.json)
  Data            ${stack.dataDir}${
    stack.mailboxUrl === null
      ? ''
      : `\n  Dev mailbox     ${stack.mailboxUrl}   (no SMTP: the emails ATAS and Parley send)`
  }
`);
  if (stack.accounts.length > 0) {
    console.log('Demo accounts (log in with one in each of two windows to chat):');
    const width = Math.max(...stack.accounts.map((a) => a.email.length));
    for (const account of stack.accounts) {
      console.log(
        `  ${account.role.padEnd(9)}  ${account.email.padEnd(width)}  password ${account.password}   (${account.name})`,
      );
    }
    console.log('');
  }
  console.log('Press Ctrl+C to stop.');

  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`\n${signal}: stopping the web app, the API and Parley…`);
    stack.stop().then(
      () => {
        console.log('Stopped.');
        process.exit(0);
      },
      (error: unknown) => {
        console.error('Stopping failed:', error);
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

function port(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65_535) {
    throw new Error(`--${name} must be a port number, not ${value}`);
  }
  return n;
}

await main();
