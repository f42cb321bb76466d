import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { NGINX, NGINX_AVAILABLE, NGINX_CONF_DIR, renderUpstream } from './helpers/nginx-process.js';

const run = promisify(execFile);

describe('deploy/nginx', () => {
  it('gives the test nodes the options of the upstream file’s own server lines', async () => {
    const source = await readFile(join(NGINX_CONF_DIR, 'parley-upstream.conf'), 'utf8');
    const rendered = renderUpstream(source, [4001, 4002]);
    const servers = rendered.split('\n').filter((l) => /^\s*server\s/.test(l));
    expect(servers.map((l) => l.trim())).toEqual([
      'server 127.0.0.1:4001 max_fails=1 fail_timeout=3s;',
      'server 127.0.0.1:4002 max_fails=1 fail_timeout=3s;',
    ]);
    expect(rendered).toContain('least_conn;');
    expect(rendered).not.toContain('10.0.0.');
  });

  it.skipIf(!NGINX_AVAILABLE)(
    'passes nginx -t as a TLS site, with a certificate in place of the example paths',
    async () => {
      const dir = await mkdtemp(join(tmpdir(), 'parley-nginx-t-'));
      try {
        await run('openssl', [
          ...['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'],
          ...['-subj', '/CN=chat.example.com'],
          ...['-keyout', join(dir, 'key.pem'), '-out', join(dir, 'cert.pem')],
        ]);
        const site = (await readFile(join(NGINX_CONF_DIR, 'parley-site.conf'), 'utf8'))
          .replace(/\S*fullchain\.pem/, join(dir, 'cert.pem'))
          .replace(/\S*privkey\.pem/, join(dir, 'key.pem'))
          .replace('/etc/nginx/parley/', NGINX_CONF_DIR);
        await writeFile(
          join(dir, 'nginx.conf'),
          `pid ${dir}/nginx.pid;
events {}
http {
  include ${join(NGINX_CONF_DIR, 'parley-upstream.conf')};
${site}
}
`,
        );
        const { stderr } = await run(NGINX, [
          ...['-t', '-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')],
        ]);
        expect(stderr).toContain('test is successful');
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  );
});
