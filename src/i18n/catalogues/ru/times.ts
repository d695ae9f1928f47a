// Times of the figures: "данные на …" on the public outputs, and the staff's "as of" view.
import type { Translation } from '../../catalogue.ts';
import type source from '../en/times.ts';

export default {
  'asof.figures': 'Данные на {time}',
  'asof.final': 'Итоговые данные на {time}',
  'asof.figures_day_only': 'Данные на {day} (время не сообщалось)',
  'asof.final_day_only': 'Итоговые данные на {day} (время не сообщалось)',
  'asof.day_only': '{day} (время не сообщалось)',
  'asof.none': 'Данных пока нет',
  'asof.reported': 'По сообщению от {day}',
  'asof.departed_day': 'Выехал {day} (время не сообщалось)',
  'asof.arrived_day': 'Прибыл {day} (время не сообщалось)',
  'asof_view.title': 'Данные на выбранный момент',
  'asof_view.intro':
    'Данные операции и состояние рейсов такими, какими они были известны на выбранный момент: восстановлены из истории по времени, на которое верна каждая цифра, и по времени каждого события — а не по времени записи.',
  'asof_view.at': 'На момент (дата или дата и время, {zone})',
  'asof_view.show': 'Показать',
  'asof_view.now': 'Сейчас',
  'asof_view.showing': 'Состояние на {time}',
  'asof_view.none_yet': 'По этой операции ещё ничего не записано.',
  'asof_view.route': 'Маршрут',
  'asof_view.movement': 'Рейс',
  'asof_view.status': 'Статус',
  'asof_view.figures_as_of': 'Данные на',
  'asof_view.totals': 'Итого',
  'asof_view.link': 'Данные на момент',
  'asof_view.bad_time': 'Укажите дату (2026-03-03) или дату и время (2026-03-03 12:53).',
  'asof_view.unknown': 'нет данных',
} satisfies Translation<typeof source>;
