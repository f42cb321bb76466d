import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { createAtasApi, type AtasApi } from '@parley/atas-api';
import { ChildService } from './child-service.js';
import { seedDemo, type DemoAccount } from './demo-seed.js';
import { ensureWebBuild, NEXT_BIN, NEXT_ENV, WEB_DIR } from './web-build.js';

const require = createRequire(import.meta.url);
const PARLEY_CLI = join(dirname(require.resolve('@parley/server')), 'cli.js');

export interface StackOptions {
  /** One folder for everything: `parley/`, `atas/`. Default `./data`. */
  dataDir?: string;
  /** The address to open. Default 3000. */
  webPort?: number;
  /** Default 3040. */
  apiPort?: number;
  /** Default 3030. */
  parleyPort?: number;
  /** Interface all three listen on. Default 127.0.0.1. */
  host?: string;
  /** Seed the demo on a first run. Default true. */
  seed?: boolean;
  /** Progress and the services' warnings; default silent. */
  log?: (line: string) => void;
  /** Log level of the API and Parley. Default `warn`. */
  logLevel?: string;
}

/** ATAS running whole: Parley and the web app as child processes, the API in this process. */
export interface Stack {
  readonly webUrl: string;
  readonly apiUrl: string;
  readonly parleyUrl: string;
  readonly dataDir: string;
  /** The dev mailbox page (emails kept as files), or null when emails go to SMTP. */
  readonly mailboxUrl: string | null;
  /** The demo accounts (empty when the data was not seeded by the demo). */
  readonly accounts: DemoAccount[];
  readonly api: AtasApi;
  /** The Parley server process: tests stop and start it. */
  readonly parley: ChildService;
  /** Stops the web app, the API and Parley, in that order. */
  stop(): Promise<void>;
}

/** Starts Parley, then the ATAS API (seeding the demo on a first run), then the web app. */
export async function startStack(options: StackOptions = {}): Promise<Stack> {
  const log = options.log ?? (() => undefined);
  const host = options.host ?? '127.0.0.1';
  const dataDir = resolve(options.dataDir ?? 'data');
  const parleyDir = join(dataDir, 'parley');
  const atasDir = join(dataDir, 'atas');
  mkdirSync(parleyDir, { recursive: true });
  mkdirSync(atasDir, { recursive: true });
  const logLevel = options.logLevel ?? 'warn';
  const parleyPort = options.parleyPort ?? 3030;
  const apiPort = options.apiPort ?? 3040;
  const webPort = options.webPort ?? 3000;
  const parleyUrl = `http://${host}:${parleyPort}`;
  const apiUrl = `http://${host}:${apiPort}`;
  const webUrl = `http://${host}:${webPort}`;

  // One mail setting for both: SMTP when set, else each writes .eml files in its data folder
  // (ATAS: atas/outbox, Parley: parley/mail) and /dev/mail lists both.
  const smtpUrl = process.env['ATAS_SMTP_URL'] || undefined;
  const emailFrom = process.env['ATAS_EMAIL_FROM'] || undefined;

  const built = ensureWebBuild(log); // meanwhile Parley and the API start
  const parley = new ChildService({
    name: 'Parley',
    command: process.execPath,
    args: [
      PARLEY_CLI,
      ...['--port', String(parleyPort), '--host', host, '--data-dir', parleyDir],
      ...['--log-level', logLevel],
      ...(smtpUrl === undefined ? [] : ['--smtp-url', smtpUrl]),
      ...(emailFrom === undefined ? [] : ['--email-from', emailFrom]),
    ],
    healthUrl: `${parleyUrl}/health`,
    onLine: (line) => log(`[parley] ${line}`),
  });
  const web = new ChildService({
    name: 'ATAS web',
    command: process.execPath,
    args: [NEXT_BIN, 'start', '--port', String(webPort), '--hostname', host],
    cwd: WEB_DIR,
    env: { ...process.env, ...NEXT_ENV, ATAS_API_URL: apiUrl, NODE_ENV: 'production' },
    healthUrl: `${webUrl}/login`,
    onLine: (line) => log(`[web] ${line}`),
  });
  let api: AtasApi | undefined;
  const stop = async () => {
    await web.stop();
    await api?.close();
    await parley.stop();
  };
  try {
    await parley.start();
    const credentials = JSON.parse(readFileSync(join(parleyDir, 'credentials.json'), 'utf8')) as {
      api_key: string;
      secret: string;
    };
    api = createAtasApi({
      port: apiPort,
      host,
      dataDir: atasDir,
      sessionSecret: sessionSecret(atasDir),
      parley: { url: parleyUrl, apiKey: credentials.api_key, secret: credentials.secret },
      // Links in emails (ATAS's, and Parley's through each channel's data.url) lead to
      // this web app.
      webUrl,
      mail: { smtpUrl, from: emailFrom },
      devMailbox: smtpUrl === undefined,
      devMailFolders: [join(parleyDir, 'mail')],
      logLevel: logLevel === 'silent' ? false : logLevel,
    });
    await api.start();
    const accounts = options.seed === false ? [] : await seedDemo(api, atasDir);
    await built;
    await web.start();
    const mailboxUrl = smtpUrl === undefined ? `${webUrl}/dev/mail` : null;
    return { webUrl, apiUrl, parleyUrl, dataDir, mailboxUrl, accounts, api, parley, stop };
  } catch (error) {
    await built.catch(() => undefined);
    await stop();
    throw error;
  }
}

/** The secret that signs ATAS sessions: made once, kept in the data folder (0600). */
function sessionSecret(atasDir: string): string {
  const path = join(atasDir, 'session-secret');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const secret = randomBytes(32).toString('base64url');
  writeFileSync(path, secret + '\n', { mode: 0o600 });
  return secret;
}
