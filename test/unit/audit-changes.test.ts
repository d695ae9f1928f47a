// The staff histories show each changed field's old → new value (the public page's
// contacts and publisher used to list the changed fields' names only).
import { describe, expect, it } from 'vitest';
import { auditChanges } from '../../src/presenters/audit-changes.ts';
import { presentPublicPageHistory } from '../../src/presenters/ws-public-page.ts';

describe('auditChanges', () => {
  it('gives a plain field its old and new value, and a field in three languages one line per language changed (in the registry order)', () => {
    const changes = auditChanges(
      'en',
      { phone: '+7 1', hours: { en: '9–18', ru: '9–18' }, url: null },
      { phone: '+7 2', hours: { en: '9–18', ru: '9–19', kk: '9–19' }, url: 'https://example.org' },
      { phone: 'Phone', hours: 'Hours' },
    );
    expect(changes).toEqual([
      { field: 'phone', label: 'Phone', from: '+7 1', to: '+7 2' },
      { field: 'hours.kk', label: 'Hours (Қазақша)', from: '—', to: '9–19' },
      { field: 'hours.ru', label: 'Hours (Русский)', from: '9–18', to: '9–19' },
      { field: 'url', label: 'url', from: '—', to: 'https://example.org' },
    ]);
  });
});

describe('the public page settings history', () => {
  it('shows who changed a contact, when, and each field from → to in the reader’s language', () => {
    const settings = {
      operation: { timeZone: 'Asia/Almaty' },
      contacts: [{ id: 7, names: { en: 'Hotline', ru: 'Горячая линия' } }],
      history: [
        {
          entity: 'contact',
          entityId: 7,
          action: 'edit',
          actorLabel: 'Aigerim N.',
          createdAt: new Date('2026-03-03T09:02:00Z'),
          before: { phone: '+7 000' },
          after: { phone: '+7 111' },
        },
      ],
    } as unknown as Parameters<typeof presentPublicPageHistory>[1];
    const [item] = presentPublicPageHistory('ru', settings);
    expect(item!.who).toBe('Aigerim N.');
    expect(item!.changes).toHaveLength(1);
    expect(item!.changes[0]).toMatchObject({ field: 'phone', from: '+7 000', to: '+7 111' });
    expect(item!.changes[0]!.label).not.toBe('phone'); // named as the form names it, in Russian
  });
});
