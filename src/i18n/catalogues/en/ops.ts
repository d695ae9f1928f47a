// The staff pages about sending and operations: uncertain digest deliveries and their resend.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'ops.uncertain.title': 'Uncertain deliveries',
  'ops.uncertain.intro':
    'These digests were handed to the mail server, but whether it accepted them was never recorded (the sending process or the database went away). They may have arrived. They are never sent again automatically, so that nobody gets a digest twice.',
  'ops.uncertain.none': 'No uncertain deliveries.',
  'ops.uncertain.day': 'Day',
  'ops.uncertain.recipient': 'Recipient',
  'ops.uncertain.version': 'Version',
  'ops.uncertain.handed_over': 'Handed to the server',
  'ops.uncertain.address_removed': '(address removed)',
  'ops.uncertain.resend': 'Resend to these',
  'ops.uncertain.resend_note':
    'A resend carries the same Message-ID as the first send, so mail programs that already have it can recognise the copy. It is recorded with your name.',
  'ops.uncertain.resent':
    '{count, plural, one {# delivery queued again; it goes out within a minute.} other {# deliveries queued again; they go out within a minute.}}',
  'ops.uncertain.link': 'Uncertain deliveries',
  'ws.entity.digest_run': 'Digest run',
} as const;
