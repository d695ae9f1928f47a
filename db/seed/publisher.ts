// Who publishes the seeded operation's page. The reports are the Kazakh Foreign
// Ministry's briefings on its own evacuation, so the seed names the ministry's
// consular service as the publisher; no official site link, no contacts: the reports
// give none, and the page shows nothing it was not given.
import type { LocalizedText } from '../schema.ts';

export const seedAuthority: LocalizedText = {
  en: 'Ministry of Foreign Affairs of the Republic of Kazakhstan, Consular Service',
  ru: 'Министерство иностранных дел Республики Казахстан, консульская служба',
  kk: 'Қазақстан Республикасы Сыртқы істер министрлігі, консулдық қызмет',
};
