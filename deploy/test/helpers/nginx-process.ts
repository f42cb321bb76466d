import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '../../../packages/server/test/helpers/free-port.js';

/** The nginx binary: Debian's package (CI installs it). */
export const NGINX = process.env['PARLEY_NGINX'] ?? '/usr/sbin/nginx';

/** deploy/nginx: the configuration operators install, used here as it is. */
export const NGINX_CONF_DIR = fileURLToPath(new URL('../../nginx/', import.meta.url));

if (!existsSync(NGINX)) {
  if (process.env['CI'] === 'true') {
    throw new Error(`nginx is missing at ${NGINX}; CI must run the multi-node tests`);
  }
  console.warn(
    [
      '',
      '************************************************************************',
      `*  Multi-node tests are SKIPPED: no nginx at ${NGINX}.`,
      '*  Install Debian\u2019s nginx (apt-get install nginx) or set PARLEY_NGINX.',
      '*  In CI (CI=true) a missing nginx fails the run instead.',
      '************************************************************************',
      '',
    ].join('\n'),
  );
}

/** True when nginx is installed. */
export const NGINX_AVAILABLE = existsSync(NGINX);

/**
 * deploy/nginx/parley-upstream.conf with its `server` lines replaced by one line per
 * port on 127.0.0.1, keeping the options the file gives them.
 */
export function renderUpstream(source: string, ports: readonly number[]): string {
  const line = /^(\s*)server\s+\S+:\d+(\s[^;]*)?;\s*$/m;
  const first = line.exec(source);
  if (first === null) throw new Error('parley-upstream.conf has no `server host:port …;` line');
  const [, indent, options = ''] = first;
  const servers = ports.map((port) => `${indent}server 127.0.0.1:${port}${options};`).join('\n');
  const lines = source.split('\n');
  const firstIndex = lines.findIndex((l) => line.test(l));
  const rest = lines.filter((l, i) => i <= firstIndex || !line.test(l));
  rest[firstIndex] = servers;
  return rest.join('\n');
}

/**
 * A real nginx in front of the test nodes, as a child process (not a daemon) with its
 * own prefix, configuration and logs in a temporary folder, listening on a free port.
 */
export class NginxProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly port: number,
    private readonly dir: string,
    private readonly exited: Promise<void>,
  ) {}

  static async start(upstreamPorts: readonly number[]): Promise<NginxProcess> {
    const dir = await mkdtemp(join(tmpdir(), 'parley-nginx-'));
    // Worker processes may run as another user (nobody, when started as root).
    await chmod(dir, 0o755);
    const temp = join(dir, 'temp');
    await mkdir(temp);
    await chmod(temp, 0o777);
    const port = await freePort();
    const upstream = renderUpstream(
      await readFile(join(NGINX_CONF_DIR, 'parley-upstream.conf'), 'utf8'),
      upstreamPorts,
    );
    const conf = `
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${temp}/body;
  proxy_temp_path ${temp}/proxy;
  fastcgi_temp_path ${temp}/fastcgi;
  uwsgi_temp_path ${temp}/uwsgi;
  scgi_temp_path ${temp}/scgi;
${upstream}
  server {
    listen 127.0.0.1:${port};
    include ${join(NGINX_CONF_DIR, 'parley-locations.conf')};
  }
}
`;
    await writeFile(join(dir, 'nginx.conf'), conf);
    const child = spawn(
      NGINX,
      ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log'), '-g', 'daemon off;'],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    let stderr = '';
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    const nginx = new NginxProcess(child, port, dir, exited);
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (child.exitCode !== null) {
        const log = await readFile(join(dir, 'error.log'), 'utf8').catch(() => '');
        throw new Error(`nginx exited at start-up: ${stderr}\n${log}`);
      }
      try {
        await fetch(`${nginx.url}/metrics`, { signal: AbortSignal.timeout(1_000) });
        return nginx;
      } catch {
        if (Date.now() > deadline) throw new Error(`nginx did not listen: ${stderr}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Stops nginx (fast shutdown) and removes its folder. */
  async close(): Promise<void> {
    if (this.child.exitCode === null) {
      this.child.kill('SIGTERM');
      await Promise.race([this.exited, new Promise((resolve) => setTimeout(resolve, 5_000))]);
      if (this.child.exitCode === null) this.child.kill('SIGKILL');
    }
    await rm(this.dir, { recursive: true, force: true });
  }
}
