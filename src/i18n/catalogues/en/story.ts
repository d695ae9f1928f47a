// The public page's story: the one-sentence status at the top, the timeline of public events, the route pages.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'story.sentence': '{total}: {clauses}.',
  'story.total': '{amount} {count, plural, one {person} other {people}} on evacuation lists',
  'story.total_unknown': 'People on evacuation lists: {amount}',
  'story.home': '{amount} home',
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
};
