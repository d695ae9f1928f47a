// The rules of the staff CSV's label_<lang> cells (src/domain/csv/labels.ts), without a database.
import { describe, expect, it } from 'vitest';
import { LABEL_COLUMNS } from '../../src/domain/csv/format.ts';
import { labelsOf, planLabels } from '../../src/domain/csv/labels.ts';

const target = { label: 'Рейс 1', labels: { ru: 'Рейс 1', en: 'Flight 1' }, version: 3 };

describe('CSV label cells', () => {
  it('has one column per language of the registry', () => {
    expect(LABEL_COLUMNS).toEqual(['label_kk', 'label_ru', 'label_en']);
  });

  it('takes a legacy single label as the working language’s', () => {
    expect(labelsOf({ label: 'Автобус', labels: {} }, 'ru')).toEqual({ ru: 'Автобус' });
    expect(labelsOf(target, 'ru')).toEqual(target.labels);
  });

  it('sets a new or changed translation; blank or unchanged cells change nothing', () => {
    const cells = { label_kk: '1-рейс', label_ru: 'Рейс 1', label_en: '' };
    expect(planLabels(cells, target, 3, 'ru')).toEqual({
      changes: [{ lang: 'kk', from: '', to: '1-рейс' }],
      errors: [],
    });
    expect(planLabels({}, target, 1, 'ru')).toEqual({ changes: [], errors: [] });
  });

  it('refuses a changed key, a stale translation and one over the limit, naming the column', () => {
    const codes = (cells: Record<string, string>, version: number) =>
      planLabels(cells, target, version, 'ru').errors.map((e) => [e.column, e.message]);
    expect(codes({ label_ru: 'Рейс 2' }, 3)).toEqual([['label_ru', 'csv.label_is_key']]);
    expect(codes({ label_en: 'Flight one' }, 2)).toEqual([['label_en', 'csv.label_stale']]);
    expect(codes({ label_kk: 'x'.repeat(201) }, 3)).toEqual([['label_kk', 'csv.label_too_long']]);
    expect(codes({ label_en: 'Flight 1' }, 1)).toEqual([]); // as exported: not a change
  });
});
