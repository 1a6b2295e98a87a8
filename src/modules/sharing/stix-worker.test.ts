import { describe, expect, it } from 'vitest';
import { AppError } from '../../core/errors.ts';
import { tlp2Ids } from './stix.ts';
import { stagedColumns, type StagedTable } from './stix-validate.ts';
import { planBundle } from './stix-worker.ts';

const uuid = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const t = '2026-01-01T00:00:00.000Z';

function bundle(indicators: number, extra: object[] = []) {
  const ids = Array.from({ length: indicators }, (_v, i) => `indicator--${uuid(i + 1)}`);
  const objects = [
    ...ids.map((id, i) => ({ type: 'indicator', spec_version: '2.1', id, created: t, modified: t, pattern: `[ipv4-addr:value = '10.0.${i >> 8}.${i & 255}']`, pattern_type: 'stix', valid_from: t, object_marking_refs: [tlp2Ids.green] })),
    { type: 'report', spec_version: '2.1', id: `report--${uuid(0)}`, created: t, modified: t, name: 'Campaign', published: t, labels: ['phishing'], object_refs: ids, object_marking_refs: [tlp2Ids.green] },
    ...extra,
  ];
  return JSON.stringify({ type: 'bundle', id: `bundle--${uuid(0)}`, objects });
}

/** The text in chunks of 1 KB, as a file stream would hand it over. */
async function* chunks(text: string) {
  for (let i = 0; i < text.length; i += 1024) yield text.slice(i, i + 1024);
}

async function plan(text: string, inThreadBytes?: number) {
  const rows: { [K in StagedTable]: unknown[][] } = { objects: [], items: [], observed: [], refs: [], final: [] };
  const result = await planBundle(chunks(text), { now: t }, new Set(['10.0.0.7']), async (batch) => {
    for (const k of Object.keys(rows) as StagedTable[]) {
      const w = stagedColumns[k].length;
      const flat = batch[k];
      if (!Array.isArray(flat)) throw new Error('rows in COPY format, not asked for');
      for (let i = 0; i < flat.length; i += w) rows[k].push(flat.slice(i, i + w));
    }
  }, { inThreadBytes });
  return { result, rows };
}

describe('reading a bundle in a worker thread', () => {
  it('stages the same rows and plan as reading it in the thread', async () => {
    const text = bundle(3000);
    const here = await plan(text);
    const there = await plan(text, 0);
    expect(there.result.head).toEqual({ type: 'bundle', id: `bundle--${uuid(0)}`, hasObjects: true, objects: 3001 });
    // Everything but the fresh ids (of the report, of the indicators); the excluded value is flagged benign.
    const noId = ({ id: _id, ...r }: { id: string }) => r;
    expect(there.result.reports.map(noId)).toEqual(here.result.reports.map(noId));
    expect(there.rows.objects).toEqual(here.rows.objects);
    expect(there.rows.refs).toEqual(here.rows.refs);
    const noIds = (r: unknown[][]) => r.map((x) => [...x.slice(0, 7), x[8]]);
    expect(noIds(there.rows.items)).toEqual(noIds(here.rows.items));
    expect(there.rows.items).toHaveLength(3000);
    expect(there.rows.items.filter((x) => x[8] === 1).map((x) => x[3])).toEqual(['10.0.0.7']);
    // The report comes after its indicators: placed on reading, one merged row per indicator, with its item's id.
    const noBatch = (r: unknown[][]) => r.map((x) => [...x.slice(0, 7), x[8], x[9]]);
    expect(noBatch(there.rows.final)).toEqual(noBatch(here.rows.final));
    expect(there.rows.final).toHaveLength(3000);
    expect(there.rows.final.map((x) => x[7]).sort()).toEqual(there.rows.items.map((x) => x[7]).sort());
  });

  it('fails with the message and place of the first invalid object, as in the thread', async () => {
    const text = bundle(2000, [{ type: 'indicator', id: `indicator--${uuid(9999)}`, pattern: "[ipv4-addr:value = '1.2.3.4']", pattern_type: 'sigma', valid_from: t }]);
    const errors = await Promise.all([plan(text).catch((e: unknown) => e), plan(text, 0).catch((e: unknown) => e)]);
    for (const e of errors) {
      expect(e).toBeInstanceOf(AppError);
      expect((e as AppError).message).toBe('objects[2001].pattern_type: only STIX patterns are supported');
    }
    const truncated = await plan(bundle(2000).slice(0, 100_000), 0).catch((e: unknown) => e);
    expect((truncated as AppError).message).toMatch(/^body: not valid JSON .*truncated/);
  });
});
