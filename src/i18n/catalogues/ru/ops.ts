// The staff pages about sending and operations: uncertain digest deliveries and their resend.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/ops.ts';

export default {
  'ops.uncertain.title': 'Неопределённые отправки',
  'ops.uncertain.intro':
    'Эти сводки были переданы почтовому серверу, но принял ли он их, записано не было (процесс отправки или база данных остановились). Они могли дойти. Повторно они автоматически не отправляются, чтобы никто не получил сводку дважды.',
  'ops.uncertain.none': 'Неопределённых отправок нет.',
  'ops.uncertain.day': 'День',
  'ops.uncertain.recipient': 'Получатель',
  'ops.uncertain.version': 'Версия',
  'ops.uncertain.handed_over': 'Передано серверу',
  'ops.uncertain.address_removed': '(адрес удалён)',
  'ops.uncertain.resend': 'Отправить им повторно',
  'ops.uncertain.resend_note':
    'Повторная отправка имеет тот же Message-ID, что и первая, поэтому почтовые программы, уже получившие письмо, распознают копию. Она записывается с вашим именем.',
  'ops.uncertain.resent':
    '{count, plural, one {# отправка снова в очереди; она уйдёт в течение минуты.} few {# отправки снова в очереди; они уйдут в течение минуты.} many {# отправок снова в очереди; они уйдут в течение минуты.} other {# отправки снова в очереди; они уйдут в течение минуты.}}',
  'ops.uncertain.link': 'Неопределённые отправки',
  'ws.entity.digest_run': 'Рассылка сводки',
} satisfies Translation<typeof en>;
