// The sign-up form for the daily digest, its confirmation and unsubscribe pages and email.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/subscribe.ts';

export default {
  'subscribe.title': 'Күнделікті жиынтық электрондық поштамен',
  'subscribe.intro':
    'Күн сайын кешке бір хат: қандай қозғалыстар болды, қанша адам елге оралды, келесі күні не жолға шығады. Жеке деректерсіз.',
  'subscribe.email': 'Электрондық пошта мекенжайы',
  'subscribe.language': 'Хаттардың тілі',
  'subscribe.routes': 'Бағыттар',
  'subscribe.all_routes': 'Барлық бағыттар',
  'subscribe.chosen_routes': 'Тек мен таңдаған бағыттар',
  'subscribe.operation': 'Операция',
  'subscribe.submit': 'Жазылу',
  'subscribe.privacy':
    'Мекенжайыңыз тек осы жиынтықты жіберу үшін қолданылады және еш жерде көрсетілмейді. Әр хатта бір басумен жазылымнан бас тарту сілтемесі бар.',
  'subscribe.choose_routes': 'Қадағалағыңыз келетін бағыттарды таңдаңыз',
  'subscribe.sent_title': 'Поштаңызды тексеріңіз',
  'subscribe.sent_body':
    'Егер бұл мекенжайға хат жеткізу мүмкін болса, оған растау сілтемесі бар хат жіберілді. Растағанға дейін ештеңе жіберілмейді. Сілтеме 48 сағат жарамды.',
  'subscribe.confirm_title': 'Жазылымды растаңыз',
  'subscribe.confirm_body': 'Таңдаған баптауларыңызбен күнделікті жиынтықты алу үшін батырманы басыңыз.',
  'subscribe.confirm_button': 'Растау',
  'subscribe.confirmed_title': 'Сіз жазылдыңыз',
  'subscribe.confirmed_body': 'Жиынтық күн сайын кешке келеді. Әр хатта жазылымнан бас тарту сілтемесі бар.',
  'subscribe.invalid_title': 'Бұл сілтеме енді жарамсыз',
  'subscribe.invalid_body': 'Оның мерзімі өтті немесе ол бұрын пайдаланылған. Қайта жазыла аласыз.',
  'subscribe.unsubscribe_title': 'Күнделікті жиынтықтан бас тарту',
  'subscribe.unsubscribe_body': 'Батырманы бассаңыз, бұл мекенжайға жиынтық енді жіберілмейді.',
  'subscribe.unsubscribe_button': 'Бас тарту',
  'subscribe.unsubscribed_title': 'Сіз жазылымнан бас тарттыңыз',
  'subscribe.unsubscribed_body':
    'Бұл мекенжайға жиынтық енді жіберілмейді. Кез келген уақытта қайта жазыла аласыз.',
  'subscribe.back': 'Мәртебе бетіне оралу',
  'subscribe.mail_failed':
    'Растау хатын қазір жіберу мүмкін болмады. Ештеңе өзгертілген жоқ; бірнеше минуттан кейін қайталап көріңіз.',
  'subscribe.rate_limited': 'Осы желіден жазылу әрекеттері тым көп. Кейінірек қайталап көріңіз.',
  'subscribe.error_title': 'Пішінді түзетіңіз',
  'subscribe.error.email': 'Дұрыс электрондық пошта мекенжайын енгізіңіз.',
  'subscribe.error.routes': 'Кемінде бір бағытты таңдаңыз.',
  'subscribe.error.operation': 'Операцияны таңдаңыз.',
  'subscribe.error.lang': 'Тілді таңдаңыз.',
  'subscribe.none_open': 'Қазір жиынтығына жазылуға болатын операция жоқ.',
  'subscribe.mail.subject': 'Жазылымды растаңыз: {operation}',
  'subscribe.mail.body':
    'Біреу (сіз деп үміттенеміз) «{operation}» күнделікті жиынтығын осы мекенжайға жіберуді сұрады.',
  'subscribe.mail.action':
    'Растау үшін (немесе жаңа баптауларды қолдану үшін) осы сілтемені 48 сағат ішінде ашыңыз:',
  'subscribe.mail.ignore': 'Егер мұны сұрамаған болсаңыз, бұл хатты елемеңіз: ештеңе жіберілмейді.',
} satisfies Translation<typeof en>;
