// The sign-up form for the daily digest, its confirmation and unsubscribe pages and email.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/subscribe.ts';

export default {
  'subscribe.title': 'Ежедневная сводка по электронной почте',
  'subscribe.intro':
    'Одно письмо каждый вечер: какие движения состоялись, сколько человек уже дома, что отправляется на следующий день. Без личных данных.',
  'subscribe.email': 'Адрес электронной почты',
  'subscribe.language': 'Язык писем',
  'subscribe.routes': 'Маршруты',
  'subscribe.all_routes': 'Все маршруты',
  'subscribe.chosen_routes': 'Только выбранные маршруты',
  'subscribe.operation': 'Операция',
  'subscribe.submit': 'Подписаться',
  'subscribe.privacy':
    'Ваш адрес используется только для отправки сводки и нигде не показывается. В каждом письме есть ссылка для отписки в один клик.',
  'subscribe.choose_routes': 'Выберите маршруты, за которыми хотите следить',
  'subscribe.sent_title': 'Проверьте почту',
  'subscribe.sent_body':
    'Если на этот адрес можно доставить письмо, на него уже отправлено сообщение со ссылкой для подтверждения. До подтверждения ничего присылать не будем. Ссылка действует 48 часов.',
  'subscribe.confirm_title': 'Подтвердите подписку',
  'subscribe.confirm_body': 'Нажмите кнопку, чтобы получать ежедневную сводку с выбранными настройками.',
  'subscribe.confirm_button': 'Подтвердить',
  'subscribe.confirmed_title': 'Вы подписаны',
  'subscribe.confirmed_body': 'Сводка будет приходить каждый вечер. В каждом письме есть ссылка для отписки.',
  'subscribe.invalid_title': 'Эта ссылка больше не действует',
  'subscribe.invalid_body': 'Срок её действия истёк или она уже использована. Вы можете подписаться снова.',
  'subscribe.unsubscribe_title': 'Отписаться от ежедневной сводки',
  'subscribe.unsubscribe_body': 'Нажмите кнопку, и сводка больше не будет приходить на этот адрес.',
  'subscribe.unsubscribe_button': 'Отписаться',
  'subscribe.unsubscribed_title': 'Вы отписались',
  'subscribe.unsubscribed_body':
    'Сводка больше не будет приходить на этот адрес. Подписаться снова можно в любое время.',
  'subscribe.back': 'Вернуться на страницу статуса',
  'subscribe.mail_failed':
    'Сейчас не удалось отправить письмо с подтверждением. Ничего не изменено; попробуйте ещё раз через несколько минут.',
  'subscribe.rate_limited': 'Слишком много подписок из этой сети. Попробуйте позже.',
  'subscribe.error_title': 'Исправьте, пожалуйста, форму',
  'subscribe.error.email': 'Введите правильный адрес электронной почты.',
  'subscribe.error.routes': 'Выберите хотя бы один маршрут.',
  'subscribe.error.operation': 'Выберите операцию.',
  'subscribe.error.lang': 'Выберите язык.',
  'subscribe.none_open': 'Сейчас нет операций, на сводку которых можно подписаться.',
  'subscribe.mail.subject': 'Подтвердите подписку: {operation}',
  'subscribe.mail.body':
    'Кто-то (надеемся, вы) попросил присылать ежедневную сводку «{operation}» на этот адрес.',
  'subscribe.mail.action':
    'Чтобы подтвердить подписку (или применить новые настройки), откройте эту ссылку в течение 48 часов:',
  'subscribe.mail.ignore':
    'Если вы этого не делали, просто не обращайте внимания на это письмо: ничего присылать не будем.',
} satisfies Translation<typeof en>;
