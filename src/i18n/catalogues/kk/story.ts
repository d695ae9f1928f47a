// The public page's story: the one-sentence status at the top, the timeline of public events, the route pages.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/story.ts';

export default {
  'story.sentence': '{total}: {clauses}.',
  'story.total': 'Тізімде, жолда немесе елде {amount} {count, plural, one {адам} other {адам}}',
  'story.total_unknown': 'Тізімде, жолда немесе елде: {amount}',
  'story.home': '{amount} адам үйге оралды',
  'story.listed_left_one':
    '{amount} адам {date} күнгі рейс тізімінде ({route}): рейс жолға шықты, қанша адам жолға шыққаны әзірге хабарланбаған',
  'story.left_one':
    '{amount} адам {date} күні жолға шықты ({route}), олардың келгені туралы әзірге хабар жоқ',
  'story.on_the_way': '{amount} адам жолда',
  'story.on_the_way_movements':
    '{amount} адам жолда ({movements, plural, one {# рейс жолда} other {# рейс жолда}})',
  'story.arrived_not_counted':
    '{amount} адам {date} күні жолға шықты ({route}): рейс келді, қанша адам келгені әзірге хабарланбаған',
  'story.stage_not_reported': '{amount} адам жолға шықты, олардың кезеңі әзірге хабарланбаған',
  'story.waiting_next': '{amount} адам жолға шығуды күтуде, келесі жөнелту {date} ({route})',
  'story.waiting_overdue':
    '{amount} адам жолға шығуды күтуде; {date} күнге белгіленген жөнелту ({route}) туралы әзірге хабар жоқ',
  'story.waiting': '{amount} адам жолға шығуды күтуде',
  'story.marker': '{label}: {amount}',
  'story.date_not_reported': 'күні хабарланбаған',
  'timeline.title': 'Не болды',
  'timeline.departed': '{route}: {label} — жолға шықты',
  'timeline.arrived': '{route}: {label} — келді',
  'timeline.cancelled': '{route}: {date} күнге белгіленген жөнелту болдырылмады',
  'timeline.rescheduled': '{route}: {from} күнге белгіленген жөнелту {to} күнге ауыстырылды',
  'timeline.corrected': '{route}: «{label}» сандары жаңартылды',
  'timeline.crossing': 'Шекара {from} → {to}: {status}',
  'timeline.notice': 'Хабарландыру',
  'timeline.day_only': '{date}, уақыты хабарланбаған',
  'timeline.reported': '{date} күні хабарланды',
  'timeline.recorded': 'енгізілді: {time}',
  'timeline.all': '{count, plural, one {Толық шежіре (# оқиға)} other {Толық шежіре (# оқиға)}}',
  'timeline.page': '{pages} беттің {page}-беті',
  'pages.previous': 'Алдыңғы бет',
  'pages.next': 'Келесі бет',
  'timeline.none': 'Әзірге жария оқиғалар жоқ.',
  'timeline.page_title': 'Шежіре',
} satisfies Translation<typeof en>;
