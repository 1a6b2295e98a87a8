import { z } from 'zod';
import type { App } from '../../core/http/types.ts';
import { countries, regions } from './countries.ts';

const country = z.object({
  code: z.string(),
  alpha3: z.string(),
  region: z.enum(regions),
  names: z.object({ ar: z.string(), en: z.string(), fr: z.string(), es: z.string() }),
});

export function referenceRoutes(app: App) {
  const tags = ['reference'];
  app.get(
    '/api/reference/countries',
    { config: { access: { permission: 'reference.read' } }, schema: { tags, summary: 'The 196 INTERPOL member countries with their region', response: { 200: z.array(country) } } },
    async () => [...countries],
  );
  app.get(
    '/api/reference/regions',
    { config: { access: { permission: 'reference.read' } }, schema: { tags, summary: 'The five regions of the regional working groups', response: { 200: z.array(z.enum(regions)) } } },
    async () => [...regions],
  );
}
