// Text of the staff pages about sending and operations: uncertain digest
// deliveries and their resend. One row per key: [key, English, Russian, Kazakh].
import type { Messages, PluralForms } from './index.ts';

type Text = string | PluralForms;
const rows: [string, Text, Text, Text][] = [
  ['ops.uncertain.title', 'Uncertain deliveries', 'Неопределённые отправки', 'Белгісіз жөнелтілімдер'],
  [
    'ops.uncertain.intro',
    'These digests were handed to the mail server, but whether it accepted them was never recorded (the sending process or the database went away). They may have arrived. They are never sent again automatically, so that nobody gets a digest twice.',
    'Эти сводки были переданы почтовому серверу, но принял ли он их, записано не было (процесс отправки или база данных остановились). Они могли дойти. Повторно они автоматически не отправляются, чтобы никто не получил сводку дважды.',
    'Бұл жиынтықтар пошта серверіне берілді, бірақ сервер оларды қабылдағаны жазылмады (жөнелту процесі немесе дерекқор тоқтап қалды). Олар жетуі мүмкін. Ешкім жиынтықты екі рет алмауы үшін олар автоматты түрде қайта жіберілмейді.',
  ],
  [
    'ops.uncertain.none',
    'No uncertain deliveries.',
    'Неопределённых отправок нет.',
    'Белгісіз жөнелтілімдер жоқ.',
  ],
  ['ops.uncertain.day', 'Day', 'День', 'Күн'],
  ['ops.uncertain.recipient', 'Recipient', 'Получатель', 'Алушы'],
  ['ops.uncertain.version', 'Version', 'Версия', 'Нұсқа'],
  ['ops.uncertain.handed_over', 'Handed to the server', 'Передано серверу', 'Серверге берілді'],
  ['ops.uncertain.address_removed', '(address removed)', '(адрес удалён)', '(мекенжай жойылды)'],
  ['ops.uncertain.resend', 'Resend to these', 'Отправить им повторно', 'Оларға қайта жіберу'],
  [
    'ops.uncertain.resend_note',
    'A resend carries the same Message-ID as the first send, so mail programs that already have it can recognise the copy. It is recorded with your name.',
    'Повторная отправка имеет тот же Message-ID, что и первая, поэтому почтовые программы, уже получившие письмо, распознают копию. Она записывается с вашим именем.',
    'Қайта жіберілген хаттың Message-ID алғашқысымен бірдей, сондықтан хатты алған пошта бағдарламалары көшірмені таниды. Ол сіздің атыңызбен жазылады.',
  ],
  [
    'ops.uncertain.resent',
    {
      one: '{count} delivery queued again; it goes out within a minute.',
      other: '{count} deliveries queued again; they go out within a minute.',
    },
    {
      one: '{count} отправка снова в очереди; она уйдёт в течение минуты.',
      few: '{count} отправки снова в очереди; они уйдут в течение минуты.',
      many: '{count} отправок снова в очереди; они уйдут в течение минуты.',
      other: '{count} отправки снова в очереди; они уйдут в течение минуты.',
    },
    {
      one: '{count} жөнелтілім қайта кезекке қойылды; бір минут ішінде жіберіледі.',
      other: '{count} жөнелтілім қайта кезекке қойылды; бір минут ішінде жіберіледі.',
    },
  ],
  ['ops.uncertain.link', 'Uncertain deliveries', 'Неопределённые отправки', 'Белгісіз жөнелтілімдер'],
  ['ws.entity.digest_run', 'Digest run', 'Рассылка сводки', 'Жиынтық жіберілімі'],
];

const column = (i: 1 | 2 | 3): Messages => Object.fromEntries(rows.map((r) => [r[0], r[i]]));

export const staffOps = { en: column(1), ru: column(2), kk: column(3) };
