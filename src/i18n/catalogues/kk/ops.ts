// The staff pages about sending and operations: uncertain digest deliveries and their resend.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/ops.ts';

export default {
  'ops.uncertain.title': 'Белгісіз жөнелтілімдер',
  'ops.uncertain.intro':
    'Бұл жиынтықтар пошта серверіне берілді, бірақ сервер оларды қабылдағаны жазылмады (жөнелту процесі немесе дерекқор тоқтап қалды). Олар жетуі мүмкін. Ешкім жиынтықты екі рет алмауы үшін олар автоматты түрде қайта жіберілмейді.',
  'ops.uncertain.none': 'Белгісіз жөнелтілімдер жоқ.',
  'ops.uncertain.day': 'Күн',
  'ops.uncertain.recipient': 'Алушы',
  'ops.uncertain.version': 'Нұсқа',
  'ops.uncertain.handed_over': 'Серверге берілді',
  'ops.uncertain.address_removed': '(мекенжай жойылды)',
  'ops.uncertain.resend': 'Оларға қайта жіберу',
  'ops.uncertain.resend_note':
    'Қайта жіберілген хаттың Message-ID алғашқысымен бірдей, сондықтан хатты алған пошта бағдарламалары көшірмені таниды. Ол сіздің атыңызбен жазылады.',
  'ops.uncertain.resent':
    '{count, plural, one {# жөнелтілім қайта кезекке қойылды; бір минут ішінде жіберіледі.} other {# жөнелтілім қайта кезекке қойылды; бір минут ішінде жіберіледі.}}',
  'ops.uncertain.link': 'Белгісіз жөнелтілімдер',
  'ws.entity.digest_run': 'Жиынтық жіберілімі',
} satisfies Translation<typeof en>;
