import {
  attachmentSchema,
  fileParamsSchema,
  fileQuerySchema,
  uploadRequestSchema,
} from './schemas/attachment.js';
import type { RestRoute } from './rest-routes.js';

/** Uploads and downloads of attachments (part of {@link restRoutes}). */
export const fileRoutes = [
  {
    method: 'POST',
    path: '/uploads',
    summary: 'Upload a file for a channel; answered once it is stored',
    description:
      'multipart/form-data with the fields `cid` (and, server-side, `user_id`) before the part `file`. ' +
      'The type is sniffed from the bytes; images are re-encoded without metadata and get a thumbnail. ' +
      'Uploads not attached to a message within 24 h are removed.',
    auth: 'any',
    body: uploadRequestSchema,
    bodyType: 'multipart',
    responses: { 201: { description: 'Stored', schema: attachmentSchema } },
    errors: [
      'channel_not_found',
      'not_member',
      'user_mismatch',
      'file_too_large',
      'file_type_not_allowed',
      'forbidden',
      'banned',
      'muted',
      'frozen',
    ],
  },
  {
    method: 'GET',
    path: '/files/:id',
    summary: 'Download a file through the signed URL the API handed out',
    description:
      'No token: the signature in the query is the credential. Raster images are served inline, ' +
      'everything else as an attachment, all with `nosniff` and a sandbox CSP. Audio, video and ' +
      'PDF answer `Range` requests.',
    auth: 'public',
    params: fileParamsSchema,
    query: fileQuerySchema,
    responses: {
      200: { description: 'The file', contentType: 'application/octet-stream' },
      206: { description: 'The requested range', contentType: 'application/octet-stream' },
    },
    errors: ['invalid_signature', 'file_not_found', 'range_not_satisfiable', 'storage_unavailable'],
  },
] as const satisfies readonly RestRoute[];
