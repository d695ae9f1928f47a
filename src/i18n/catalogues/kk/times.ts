// Times of the figures: "… жағдай бойынша" (as of …) on the public outputs, and the staff's "as of" view.
// A {time} or {day} before "жағдай бойынша" or "хабар бойынша" is given in its attributive
// form ("2026 жылғы 4 наурыздағы"; src/presenters/format.ts), so the text adds no suffix.
import type { Translation } from '../../catalogue.ts';
import type source from '../en/times.ts';

export default {
  'asof.figures': '{time} жағдай бойынша',
  'asof.final': 'Қорытынды деректер {time} жағдай бойынша',
  'asof.figures_day_only': '{day} жағдай бойынша (уақыты хабарланбаған)',
  'asof.final_day_only': 'Қорытынды деректер {day} жағдай бойынша (уақыты хабарланбаған)',
  'asof.day_only': '{day} (уақыты хабарланбаған)',
  'asof.none': 'Әзірге деректер жоқ',
  'asof.reported': '{day} хабар бойынша',
  'asof.departed_day': 'Жолға шықты: {day} (уақыты хабарланбаған)',
  'asof.arrived_day': 'Жетті: {day} (уақыты хабарланбаған)',
  'asof_view.title': 'Таңдалған сәттегі деректер',
  'asof_view.intro':
    'Операцияның деректері мен рейстердің күйі таңдалған сәтте белгілі болғандай: тарихтан әр санның қай уақытқа дұрыс екені және әр оқиғаның уақыты бойынша қалпына келтірілген, жазылған уақыты бойынша емес.',
  'asof_view.at': 'Сәт (күні немесе күні мен уақыты, {zone})',
  'asof_view.show': 'Көрсету',
  'asof_view.now': 'Қазір',
  'asof_view.showing': '{time} жағдай бойынша күй',
  'asof_view.none_yet': 'Бұл операция бойынша әзірге ештеңе жазылмаған.',
  'asof_view.route': 'Бағыт',
  'asof_view.movement': 'Рейс',
  'asof_view.status': 'Күйі',
  'asof_view.figures_as_of': 'Деректер уақыты',
  'asof_view.totals': 'Барлығы',
  'asof_view.link': 'Сәттегі деректер',
  'asof_view.bad_time': 'Күнін (2026-03-03) немесе күні мен уақытын (2026-03-03 12:53) көрсетіңіз.',
  'asof_view.unknown': 'мәлімет жоқ',
} satisfies Translation<typeof source>;
