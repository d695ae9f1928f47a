// Times of the figures: "figures as of …" on the public outputs, and the staff's "as of" view.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'asof.figures': 'Figures as of {time}',
  'asof.final': 'Final figures as of {time}',
  'asof.figures_day_only': 'Figures as of {day} (time not reported)',
  'asof.final_day_only': 'Final figures as of {day} (time not reported)',
  'asof.day_only': '{day} (time not reported)',
  'asof.none': 'No figures reported yet',
  'asof.reported': 'As reported on {day}',
  'asof.departed_day': 'Departed on {day} (time not reported)',
  'asof.arrived_day': 'Arrived on {day} (time not reported)',
  'asof_view.title': 'Figures as of a moment',
  'asof_view.intro':
    'The operation’s figures and movement states as they were known at the moment chosen, rebuilt from the history by each figure’s “as of” and each event’s time — not by when they were recorded.',
  'asof_view.at': 'As of (date, or date and time, in {zone})',
  'asof_view.show': 'Show',
  'asof_view.now': 'Now',
  'asof_view.showing': 'State as of {time}',
  'asof_view.none_yet': 'Nothing has been recorded for this operation yet.',
  'asof_view.route': 'Route',
  'asof_view.movement': 'Movement',
  'asof_view.status': 'Status',
  'asof_view.figures_as_of': 'Figures as of',
  'asof_view.totals': 'Totals',
  'asof_view.link': 'Figures as of a moment',
  'asof_view.bad_time': 'Give a date (2026-03-03) or a date and time (2026-03-03 12:53).',
  'asof_view.unknown': 'not reported',
} as const;
