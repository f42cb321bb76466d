import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_CSP } from '../../src/http/routes/admin-routes.js';
import { expectError } from '../helpers/expect-error.js';
import { rawHttp } from '../helpers/raw-http.js';
import { TestServer } from '../helpers/test-server.js';

/** `/admin` serves a console build: here a stand-in folder with the same layout. */
describe('admin console route', () => {
  let dir: string;
  let server: TestServer;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'parley-admin-build-'));
    await mkdir(join(dir, 'assets'));
    await writeFile(join(dir, 'index.html'), '<!doctype html><title>console</title>');
    await writeFile(join(dir, 'assets', 'index-abc123.js'), 'console.log(1)');
    await writeFile(join(dir, '.secret'), 'hidden');
    server = await TestServer.start('sqlite', { adminConsole: dir });
  });
  afterAll(async () => {
    await server?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('serves the page without a token, with a strict CSP, revalidated on every load', async () => {
    for (const path of ['/admin', '/admin/', '/admin/users']) {
      const res = await server.download(path);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      expect(res.bytes.toString()).toContain('<title>console</title>');
      expect(res.headers.get('content-security-policy')).toBe(ADMIN_CSP);
      expect(res.headers.get('cache-control')).toBe('no-cache');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
    }
  });

  it('caches hashed assets for a year', async () => {
    const res = await server.download('/admin/assets/index-abc123.js');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/javascript/);
    expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
  });

  it('answers files that are not there, dotfiles and paths out of the folder with 404', async () => {
    for (const path of ['/admin/assets/none.js', '/admin/.secret', '/admin/assets/.x']) {
      const res = await server.download(path);
      expect(res.status, path).toBe(404);
      expect(res.body?.error?.code, path).toBe('not_found');
    }
    // Sent as is (fetch would resolve the dots before sending).
    for (const path of ['/admin/../../package.json', '/admin/assets/%2e%2e/%2e%2e/package.json']) {
      const res = await rawHttp(
        server.url,
        `GET ${path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`,
      );
      expect(res.status, path).toBe(404);
      expect(JSON.stringify(res.body), path).not.toContain('@parley/');
    }
  });

  it('is left out of the REST API description', () => {
    expect(server.server.app.parleyRoutes.some((r) => r.path.startsWith('/admin'))).toBe(false);
  });

  it('is not served when turned off, and says how to build it when the build is missing', async () => {
    const off = await TestServer.start('sqlite', { adminConsole: false });
    const unbuilt = await TestServer.start('sqlite', { adminConsole: join(dir, 'assets') });
    try {
      // Off, /admin is a path like any other the server does not know.
      expectError(await off.api('GET', '/admin'), 'not_found');
      const res = await unbuilt.api('GET', '/admin', { token: null });
      expectError(res, 'not_found');
      expect(res.body.error.message).toContain('npm run build');
    } finally {
      await off.close();
      await unbuilt.close();
    }
  });
});
