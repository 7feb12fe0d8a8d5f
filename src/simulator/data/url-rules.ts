import { Random } from '../random';
import type { GenerationContext } from './context';
import { PAGE_SUBJECTS, PRODUCT_AREAS, slugify } from './names';

/** Host of the customer's application in designer hints and launch URLs. */
export const APP_HOST = 'app.example.com';

/** Returns the URL path of page `slot`, e.g. `/billing/invoices`. It never changes with versions. */
export function pagePath(context: GenerationContext, slot: number): string {
  const random = Random.of(context.seed, 'pages', slot, 'path');
  return `/${slugify(random.pick(PRODUCT_AREAS))}/${slugify(random.pick(PAGE_SUBJECTS))}`;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Converts a page rule into the anchored regular expression Pendo stores as `parsedRule`.
 * A rule is `//`, a host pattern (`*` for any host), a path and optionally `?` with query
 * parameter names separated by `;`. The expression allows any scheme, a trailing slash,
 * matrix parameters, extra query parameters and a fragment. A `*` path segment matches any
 * one segment.
 */
export function parseUrlRule(rule: string): string {
  const withoutHost = rule.replace(/^\/\/\*/, '');
  const [path = '', query] = withoutHost.split('?');
  const pathPattern = path
    .split('/')
    .map((segment) => (segment === '*' ? '[^/]*' : escapeRegex(segment)))
    .join('/');
  const prefix = `^https?://[^/]*${pathPattern}/?(?:;[^#]*)?`;
  if (query === undefined) return `${prefix}(?:\\?[^#]*)?(?:#.*)?$`;
  const parameters = query
    .split(';')
    .map((parameter) => `(?:[^#]*&)?${escapeRegex(parameter)}(?:=[^&]*)?`)
    .join('&');
  return `${prefix}(?:\\?)${parameters}(?:&[^&#]*)*(?:#.*)?$`;
}
