import multipart, { type MultipartFile } from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ChatError,
  fileParamsSchema,
  fileQuerySchema,
  uploadRequestSchema,
} from '@parley/protocol';
import type { BlobStore } from '../../blobs/blob-store.js';
import type { Storage } from '../../storage/storage.js';
import { openDownload } from '../../uploads/file-download.js';
import type { FileUrls } from '../../uploads/file-urls.js';
import type { UploadService } from '../../uploads/upload-service.js';
import { parse } from '../parse.js';

/** The form fields, read before the file. */
const uploadFieldsSchema = uploadRequestSchema.omit({ file: true });

export interface FileRouteDeps {
  uploads: UploadService;
  storage: Storage;
  blobs: BlobStore;
  urls: FileUrls;
  maxUploadBytes: number;
}

/** `POST /uploads` and `GET /files/:id`. */
export function fileRoutes(app: FastifyInstance, deps: FileRouteDeps): void {
  // Multipart bodies are parsed in this scope only: everywhere else a form is still a
  // 415, as every other route takes JSON alone.
  void app.register(async (scope) => {
    await scope.register(multipart, {
      limits: {
        fieldNameSize: 100,
        fieldSize: 1024,
        fields: 8,
        // One byte over the limit, so the spooler sees the file is too large.
        fileSize: deps.maxUploadBytes + 1,
        files: 1,
        parts: 10,
        headerPairs: 50,
      },
    });

    scope.post('/uploads', async (request, reply) => {
      if (!request.isMultipart()) {
        throw new ChatError('unsupported_media_type', 'send the upload as multipart/form-data');
      }
      // Whatever is refused before the whole file is read leaves the rest of the body
      // unread: the connection cannot carry another request, so it is closed after the answer.
      void reply.header('connection', 'close');
      const form = await readForm(request);
      const fields = parse(uploadFieldsSchema, form.fields);
      const attachment = await deps.uploads.upload(request.actor, {
        cid: fields.cid,
        userId: fields.user_id,
        fileName: form.file?.filename,
        openFile: async () => form.file?.file ?? null,
      });
      return reply.code(201).removeHeader('connection').send(attachment);
    });
  });

  app.get('/files/:id', { config: { public: true } }, async (request, reply) => {
    const { id } = parse(fileParamsSchema, request.params);
    const query = parse(fileQuerySchema, request.query);
    const download = await openDownload(deps, id, query, request.headers.range);
    return reply.code(download.status).headers(download.headers).send(download.body);
  });
}

/**
 * The fields before the part `file`, and that part with its stream unread. Fields after
 * it are not read: the server checks the fields before it takes the file.
 */
async function readForm(
  request: FastifyRequest,
): Promise<{ fields: Record<string, unknown>; file: MultipartFile | undefined }> {
  // A Map: a field named `__proto__` must stay a field (and be refused as unknown).
  const fields = new Map<string, unknown>();
  const parts = request.parts();
  try {
    for (let next = await parts.next(); !next.done; next = await parts.next()) {
      const part = next.value;
      if (part.type === 'file') {
        if (part.fieldname !== 'file') {
          throw new ChatError('invalid_request', 'the file must be sent as the part "file"');
        }
        return { fields: Object.fromEntries(fields), file: part };
      }
      // A repeated field becomes an array, which the schema refuses.
      const value = part.value;
      const seen = fields.get(part.fieldname);
      fields.set(part.fieldname, seen === undefined ? value : [seen, value].flat());
    }
    return { fields: Object.fromEntries(fields), file: undefined };
  } catch (error) {
    if (error instanceof ChatError) throw error;
    if ((error as { statusCode?: number }).statusCode === 413) {
      throw new ChatError('payload_too_large', 'the form has too many or too large fields');
    }
    throw new ChatError('invalid_request', 'the body is not valid multipart/form-data');
  }
}
