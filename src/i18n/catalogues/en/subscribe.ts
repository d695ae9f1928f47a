// The sign-up form for the daily digest, its confirmation and unsubscribe pages and email.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'subscribe.title': 'Daily summary by email',
  'subscribe.intro':
    'One email each evening: what moved, how many are home, what leaves the next day. No personal data.',
  'subscribe.email': 'Email address',
  'subscribe.language': 'Language of the emails',
  'subscribe.routes': 'Routes',
  'subscribe.all_routes': 'All routes',
  'subscribe.chosen_routes': 'Only the routes I choose',
  'subscribe.operation': 'Operation',
  'subscribe.submit': 'Subscribe',
  'subscribe.privacy':
    'Your address is used only to send this summary and is never shown anywhere. Every email has a one-click unsubscribe link.',
  'subscribe.choose_routes': 'Choose the routes you want to follow',
  'subscribe.sent_title': 'Check your inbox',
  'subscribe.sent_body':
    'If this address can receive email, a message with a confirmation link is on its way. Nothing is sent until you confirm. The link works for 48 hours.',
  'subscribe.confirm_title': 'Confirm your subscription',
  'subscribe.confirm_body':
    'Press the button to start receiving the daily summary with the settings you chose.',
  'subscribe.confirm_button': 'Confirm',
  'subscribe.confirmed_title': 'You are subscribed',
  'subscribe.confirmed_body': 'The summary will arrive every evening. Each email has a link to unsubscribe.',
  'subscribe.invalid_title': 'This link no longer works',
  'subscribe.invalid_body': 'It has expired or has already been used. You can sign up again.',
  'subscribe.unsubscribe_title': 'Unsubscribe from the daily summary',
  'subscribe.unsubscribe_body': 'Press the button and no further summary will be sent to this address.',
  'subscribe.unsubscribe_button': 'Unsubscribe',
  'subscribe.unsubscribed_title': 'You are unsubscribed',
  'subscribe.unsubscribed_body':
    'No further summary will be sent to this address. You can sign up again at any time.',
  'subscribe.back': 'Back to the status page',
  'subscribe.mail_failed':
    'The confirmation email could not be sent just now. Nothing was changed; please try again in a few minutes.',
  'subscribe.rate_limited': 'Too many sign-ups from this network. Please try again later.',
  'subscribe.error_title': 'Please correct the form',
  'subscribe.error.email': 'Enter a valid email address.',
  'subscribe.error.routes': 'Choose at least one route.',
  'subscribe.error.operation': 'Choose an operation.',
  'subscribe.error.lang': 'Choose a language.',
  'subscribe.none_open': 'No operation is open for sign-up at the moment.',
  'subscribe.mail.subject': 'Confirm your subscription: {operation}',
  'subscribe.mail.body':
    'Someone, hopefully you, asked to receive the daily summary of {operation} at this address.',
  'subscribe.mail.action': 'To confirm (or to apply new settings), open this link within 48 hours:',
  'subscribe.mail.ignore': 'If you did not ask for this, ignore this email: nothing will be sent.',
} as const;
