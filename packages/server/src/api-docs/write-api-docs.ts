import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { API_VERSION } from './api-version.js';
import { buildOpenApiDocument } from './openapi.js';
import { buildWebSocketSchema } from './websocket-schema.js';

/** Where the generated descriptions are kept in the repository. */
export const API_DOC_FILES = {
  openapi: fileURLToPath(new URL('../../../../docs/openapi.json', import.meta.url)),
  websocket: fileURLToPath(new URL('../../../../docs/websocket.schema.json', import.meta.url)),
};

/** The generated descriptions as the files hold them (2-space JSON and a newline). */
export function renderApiDocs(): { openapi: string; websocket: string } {
  return {
    openapi: JSON.stringify(buildOpenApiDocument(API_VERSION), null, 2) + '\n',
    websocket: JSON.stringify(buildWebSocketSchema(API_VERSION), null, 2) + '\n',
  };
}

// `npm run docs:api` regenerates both files from the protocol's schemas.
if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const docs = renderApiDocs();
  writeFileSync(API_DOC_FILES.openapi, docs.openapi);
  writeFileSync(API_DOC_FILES.websocket, docs.websocket);
  console.log(`wrote ${API_DOC_FILES.openapi} and ${API_DOC_FILES.websocket}`);
}
