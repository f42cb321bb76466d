import { readFileSync } from 'node:fs';
import { validate } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { restRoutes } from '@parley/protocol';
import { API_DOC_FILES, renderApiDocs } from '../../src/api-docs/write-api-docs.js';
import { STORAGE_KINDS } from '../helpers/storages.js';
import { TestServer } from '../helpers/test-server.js';

const REGENERATE = 'the schemas changed: run `npm run docs:api` and commit docs/';

describe('the generated API descriptions', () => {
  const rendered = renderApiDocs();

  it('docs/openapi.json is what the protocol’s schemas generate', () => {
    expect(readFileSync(API_DOC_FILES.openapi, 'utf8'), REGENERATE).toBe(rendered.openapi);
  });

  it('docs/websocket.schema.json is what the protocol’s schemas generate', () => {
    expect(readFileSync(API_DOC_FILES.websocket, 'utf8'), REGENERATE).toBe(rendered.websocket);
  });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await validate(JSON.parse(rendered.openapi));
    expect(result.valid ? [] : result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
  });

  it('is a valid JSON Schema whose frame definitions compile', () => {
    const ajv = new Ajv2020({ strict: false });
    ajv.addSchema(JSON.parse(rendered.websocket), 'ws');
    expect(ajv.getSchema('ws#/$defs/ClientFrame')).toBeTypeOf('function');
    expect(ajv.getSchema('ws#/$defs/ServerEvent')).toBeTypeOf('function');
  });
});

for (const kind of STORAGE_KINDS) {
  describe(`${kind}: the API description a server publishes`, () => {
    let server: TestServer;

    beforeAll(async () => {
      server = await TestServer.start(kind);
      await server.createUsers('nina', 'omar');
      await server.createChannel('team', 'docs', ['nina', 'omar'], 'nina');
    });
    afterAll(async () => {
      await server?.close();
    });

    it('serves GET /openapi.json without a token, equal to docs/openapi.json', async () => {
      const res = await server.api('GET', '/openapi.json', { token: null });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
      expect(res.body).toEqual(JSON.parse(readFileSync(API_DOC_FILES.openapi, 'utf8')));
    });

    it('describes every route the server answers, and no route it does not', () => {
      const registered = server.server.app.parleyRoutes
        .filter((r) => r.method !== 'OPTIONS') // CORS preflights, described in the protocol
        .map((r) => `${r.method} ${r.path}`)
        .sort();
      const described = restRoutes.map((r) => `${r.method} ${r.path}`).sort();
      expect(registered).toEqual(described);
      const doc = JSON.parse(readFileSync(API_DOC_FILES.openapi, 'utf8')) as {
        paths: Record<string, Record<string, unknown>>;
      };
      const inDoc = Object.entries(doc.paths)
        .flatMap(([path, ops]) =>
          Object.keys(ops).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`),
        )
        .sort();
      expect(inDoc).toEqual(described);
    });

    it('sends frames and events that match docs/websocket.schema.json', async () => {
      const ajv = new Ajv2020({ strict: false });
      ajv.addSchema(JSON.parse(readFileSync(API_DOC_FILES.websocket, 'utf8')), 'ws');
      const check = (def: string, value: unknown) => {
        const valid = ajv.getSchema(`ws#/$defs/${def}`)!;
        expect(valid(value), `${def}: ${JSON.stringify(valid.errors)}`).toBe(true);
      };
      const nina = await server.connect('nina');
      try {
        check('ConnectionOkFrame', nina.ofType('connection.ok')[0]);
        const watched = await nina.watch('team:docs');
        check('Result:channel.watch', watched);
        const sent = await nina.sendMessage('team:docs', 'described');
        check('Result:message.send', sent);
        const event = await nina.waitFor((f) => f.type === 'message.new');
        check('ServerEvent', event);
        check('ChannelEvent', event);
        const frame = { type: 'channel.read', req_id: 'r', cid: 'team:docs' };
        check('ClientFrame', frame);
        nina.send({ type: 'channel.nope', req_id: 'bad' });
        check('ErrorFrame', await nina.waitFor((f) => f.type === 'error' && f.req_id === 'bad'));
      } finally {
        await nina.close();
      }
    });
  });
}
