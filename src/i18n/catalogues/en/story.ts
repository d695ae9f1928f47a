// The public page's story: the one-sentence status at the top, the timeline of public events, the route pages.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'story.sentence': '{total}: {clauses}.',
  'story.total':
    '{amount} {count, plural, one {person} other {people}} on evacuation lists, on the way or home',
  'story.total_unknown': 'People on evacuation lists, on the way or home: {amount}',
  'story.home': '{amount} home',
  'story.listed_left_one':
    '{amount} listed for the departure on {date} ({route}), recorded as departed; how many left not yet reported',
  'story.left_one': '{amount} left on {date} ({route}), their arrival not yet reported',
  'story.on_the_way': '{amount} on the way',
  'story.on_the_way_movements':
    '{amount} on the way ({movements, plural, one {# movement under way} other {# movements under way}})',
  'story.arrived_not_counted':
    '{amount} travelled on {date} ({route}), recorded as arrived; how many arrived not yet reported',
  'story.stage_not_reported': '{amount} left, their stage not yet reported',
  'story.waiting_next': '{amount} due to leave, the next departure on {date} ({route})',
  'story.waiting_overdue': '{amount} due to leave; a departure set for {date} ({route}) has no update yet',
  'story.waiting': '{amount} waiting to leave',
  'story.marker': '{label}: {amount}',
  'story.date_not_reported': 'a date not reported',
  'timeline.title': 'What happened',
  'timeline.departed': '{route}: {label} — departed',
  'timeline.arrived': '{route}: {label} — arrived',
  'timeline.cancelled': '{route}: the departure set for {date} is cancelled',
  'timeline.rescheduled': '{route}: the departure set for {from} is rescheduled to {to}',
  'timeline.corrected': '{route}: the figures of {label} were updated',
  'timeline.crossing': 'Border {from} → {to}: {status}',
  'timeline.notice': 'Notice',
  'timeline.day_only': '{date}, time not reported',
  'timeline.reported': 'reported on {date}',
  'timeline.recorded': 'recorded {time}',
  'timeline.all': '{count, plural, one {The whole timeline (# event)} other {The whole timeline (# events)}}',
  'timeline.page': 'Page {page} of {pages}',
  'pages.previous': 'Previous page',
  'pages.next': 'Next page',
  'timeline.none': 'No public events yet.',
  'timeline.page_title': 'Timeline',
};
