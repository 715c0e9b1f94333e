/**
 * How the admin API's lists page over HTTP: `cursor` and `limit` in the query string, the page as
 * the body (an array, as before paging), and the next page's URL in a `Link` header (RFC 8288).
 */
import { Type } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { PAGE_SIZE, type PageView } from '../../../service/admin/paging.js';

export const PageQueryFields = {
  cursor: Type.Optional(
    Type.String({
      maxLength: 512,
      description:
        'Where the page starts: the cursor of the previous page\'s `Link: <…>; rel="next"`. Stable under inserts.',
    }),
  ),
  limit: Type.Optional(
    Type.String({
      maxLength: 6,
      pattern: '^[0-9]+$',
      description: `How many items, from 1 to ${PAGE_SIZE.max} [${PAGE_SIZE.default}].`,
    }),
  ),
};

export const PageQuery = Type.Object(PageQueryFields, { additionalProperties: false });

export const PAGED_LIST_DESCRIPTION = `One page, in creation order. When more follow, a \`Link\` header gives the next page's URL: \`Link: </admin/v1/…?cursor=…>; rel="next"\`.`;

/**
 * Sends the page's items, with a `Link` to the next page when there is one: the same query (the
 * size and any filter) from the next cursor on.
 */
export function sendPage<T>(
  request: FastifyRequest<{ Querystring: Record<string, string | undefined> }>,
  reply: FastifyReply,
  page: PageView<T>,
): T[] {
  if (page.nextCursor !== null) {
    const path = request.url.split('?', 1)[0];
    const query = new URLSearchParams({ cursor: page.nextCursor });
    for (const [name, value] of Object.entries(request.query)) {
      if (name !== 'cursor' && value !== undefined) query.set(name, value);
    }
    void reply.header('link', `<${path}?${query}>; rel="next"`);
  }
  return page.items;
}
