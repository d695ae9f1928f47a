// The CSV export and import of figures: the staff pages and the errors a file can have.
// English is the source catalogue: its keys are the keys of every language.
export default {
  'ws.csv.export': 'Export CSV',
  'ws.csv.import': 'Import CSV',
  'ws.csv.import_title': 'Import figures: {operation}',
  'ws.csv.upload': 'Upload a file',
  'ws.csv.file': 'CSV file',
  'ws.csv.file_hint': 'UTF-8, comma or semicolon separated, at most 2 MB.',
  'ws.csv.reason_hint': 'Used for rows whose "reason" column is empty.',
  'ws.csv.source_hint': 'Used for rows whose "source" column is empty.',
  'ws.csv.source_from_file': '— from the file\'s "source" column —',
  'ws.csv.check': 'Check the file (dry run)',
  'ws.csv.format_hint': 'The format is the one the export produces: start from an export.',
  'ws.csv.rejected':
    'The file was rejected and nothing was written: {count, plural, one {# error} other {# errors}}.',
  'ws.csv.errors': 'Errors by row',
  'ws.csv.row': 'Row',
  'ws.csv.column': 'Column',
  'ws.csv.problem': 'Problem',
  'ws.csv.plan_title': 'Dry run: {file}',
  'ws.csv.summary':
    '{rows, plural, one {# row} other {# rows}}: {changed} would change, {unchanged} unchanged.',
  'ws.csv.dry_run': 'What would change, row by row',
  'ws.csv.what_changes': 'Change',
  'ws.csv.unchanged': 'no change',
  'ws.csv.apply': 'Apply all changes',
  'ws.csv.upload_other': 'Upload another file',
  'ws.csv.back_to_import': 'The import and its rows',
  'ws.csv.applying': 'Applying the import',
  'ws.csv.progress_start':
    '{rows, plural, one {Checking # row again and writing in one transaction…} other {Checking # rows again and writing in one transaction…}}',
  'ws.csv.progress':
    '{total, plural, one {Written {done} of # changed row…} other {Written {done} of # changed rows…}}',
  'ws.csv.applied':
    'Applied: {changed, plural, one {# movement changed} other {# movements changed}}, {unchanged} unchanged.',
  'ws.csv.apply_conflict':
    'Not applied, nothing written: figures changed since the dry run (or the file was already applied). Check the file again.',
  'ws.csv.apply_invalid':
    'Not applied, nothing written: the file no longer checks out against the current data.',
  'ws.csv.apply_failed': 'Not applied, nothing written: the database did not answer. Try again.',
  'csv.unreadable': 'The file is not valid CSV.',
  'csv.empty': 'The file is empty.',
  'csv.no_rows': 'The file has a header but no rows.',
  'csv.control_character': 'This line has a control character (such as NUL): the file is not plain CSV text.',
  'csv.encoding': 'The file is not UTF-8 text. Save it as "CSV UTF-8".',
  'csv.file_required': 'Choose a CSV file.',
  'csv.unknown_column': 'Unknown column.',
  'csv.missing_column': 'Missing column.',
  'csv.missing_key': 'Needs a movement_id column, or route and movement columns.',
  'csv.duplicate_column': 'A column appears twice.',
  'csv.too_many_rows': '{max, plural, one {At most # row per file.} other {At most # rows per file.}}',
  'csv.wrong_cell_count': 'This row has a different number of cells than the header.',
  'csv.other_operation': 'This row belongs to another operation.',
  'csv.unknown_movement': 'No such movement in this operation.',
  'csv.key_mismatch': 'movement_id does not match route and movement.',
  'csv.duplicate_movement': 'The same movement is already in row {row}.',
  'csv.version_changed': 'Changed since this file was exported (now version {current}). Export again.',
  'csv.version_invalid': 'Not a version this movement had (now version {current}). Export again.',
  'csv.cell_conflict':
    'Changed by {who} since this file was exported (now {current}), and changed in the file too: check and export again.',
  'csv.unknown_source': 'No source with this short name.',
  'upload.invalid': 'The upload could not be read.',
  'ws.csv.label_change': 'Label — {language}: {from} → {to}',
  'csv.label_is_key':
    'The label in the operation’s working language is the movement’s key: rename it on the movement’s form.',
  'csv.label_stale':
    'The movement changed since this file was exported, and the file changes this translation: export again.',
  'csv.label_too_long': 'At most {max} characters.',
} as const;
