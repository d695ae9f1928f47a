// The public page's story: the one-sentence status at the top, the timeline of public events, the route pages.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/story.ts';

export default {
  'story.sentence': '{total}: {clauses}.',
  'story.total':
    '{amount} {count, plural, one {человек} few {человека} many {человек} other {человека}} в списках на эвакуацию, в пути или дома',
  'story.total_unknown': 'В списках на эвакуацию, в пути или дома: {amount}',
  'story.home': '{amount} дома',
  'story.listed_left_one':
    '{amount} в списке рейса {date} ({route}): рейс отправлен, сколько человек выехало, пока не сообщалось',
  'story.left_one': '{amount} выехали {date} ({route}), об их прибытии пока не сообщалось',
  'story.on_the_way': '{amount} в пути',
  'story.on_the_way_movements':
    '{amount} в пути ({movements, plural, one {# рейс} few {# рейса} many {# рейсов} other {# рейса}} в дороге)',
  'story.arrived_not_counted':
    '{amount} в рейсе {date} ({route}): рейс прибыл, сколько человек прибыло, пока не сообщалось',
  'story.stage_not_reported': '{amount} выехали, их этап пока не сообщён',
  'story.waiting_next': '{amount} ожидают выезда, ближайший выезд {date} ({route})',
  'story.waiting_overdue':
    '{amount} ожидают выезда; о выезде, назначенном на {date} ({route}), пока нет сведений',
  'story.waiting': '{amount} ожидают выезда',
  'story.marker': '{label}: {amount}',
  'story.date_not_reported': 'дата не сообщена',
  'timeline.title': 'Что произошло',
  'timeline.departed': '{route}: {label} — выезд',
  'timeline.arrived': '{route}: {label} — прибытие',
  'timeline.cancelled': '{route}: выезд, назначенный на {date}, отменён',
  'timeline.rescheduled': '{route}: выезд, назначенный на {from}, перенесён на {to}',
  'timeline.corrected': '{route}: цифры «{label}» обновлены',
  'timeline.crossing': 'Граница {from} → {to}: {status}',
  'timeline.notice': 'Объявление',
  'timeline.day_only': '{date}, время не сообщено',
  'timeline.reported': 'по сообщению от {date}',
  'timeline.recorded': 'внесено {time}',
  'timeline.all':
    '{count, plural, one {Вся хроника (# событие)} few {Вся хроника (# события)} many {Вся хроника (# событий)} other {Вся хроника (# события)}}',
  'timeline.page': 'Страница {page} из {pages}',
  'pages.previous': 'Предыдущая страница',
  'pages.next': 'Следующая страница',
  'timeline.none': 'Публичных событий пока нет.',
  'timeline.page_title': 'Хроника',
} satisfies Translation<typeof en>;
