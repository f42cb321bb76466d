import type { FastifyInstance } from 'fastify';
import { searchRequestSchema } from '@parley/protocol';
import type { SearchService } from '../../services/search-service.js';
import { parse } from '../parse.js';

/** `GET /search`. */
export function searchRoutes(app: FastifyInstance, search: SearchService): void {
  app.get('/search', async (request) => {
    const query = parse(searchRequestSchema, request.query);
    return search.search(request.actor, query);
  });
}
