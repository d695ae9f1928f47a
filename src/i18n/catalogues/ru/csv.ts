// The CSV export and import of figures: the staff pages and the errors a file can have.
import type { Translation } from '../../catalogue.ts';
import type en from '../en/csv.ts';

export default {
  'ws.csv.export': 'Экспорт CSV',
  'ws.csv.import': 'Импорт CSV',
  'ws.csv.import_title': 'Импорт цифр: {operation}',
  'ws.csv.upload': 'Загрузить файл',
  'ws.csv.file': 'Файл CSV',
  'ws.csv.file_hint': 'UTF-8, разделитель — запятая или точка с запятой, не более 2 МБ.',
  'ws.csv.reason_hint': 'Для строк с пустым столбцом «reason».',
  'ws.csv.source_hint': 'Для строк с пустым столбцом «source».',
  'ws.csv.source_from_file': '— из столбца «source» файла —',
  'ws.csv.check': 'Проверить файл (без записи)',
  'ws.csv.format_hint': 'Формат такой же, как у экспорта: начните с экспорта.',
  'ws.csv.rejected':
    'Файл отклонён, ничего не записано: {count, plural, one {# ошибка} few {# ошибки} many {# ошибок} other {# ошибки}}.',
  'ws.csv.errors': 'Ошибки по строкам',
  'ws.csv.row': 'Строка',
  'ws.csv.column': 'Столбец',
  'ws.csv.problem': 'Проблема',
  'ws.csv.plan_title': 'Проверка: {file}',
  'ws.csv.summary':
    '{rows, plural, one {# строка} few {# строки} many {# строк} other {# строки}}: изменятся — {changed}, без изменений — {unchanged}.',
  'ws.csv.dry_run': 'Что изменится, построчно',
  'ws.csv.what_changes': 'Изменение',
  'ws.csv.unchanged': 'без изменений',
  'ws.csv.apply': 'Применить все изменения',
  'ws.csv.upload_other': 'Загрузить другой файл',
  'ws.csv.back_to_import': 'Импорт и его строки',
  'ws.csv.applying': 'Применение импорта',
  'ws.csv.progress_start':
    'Повторная проверка {rows, plural, one {# строки} few {# строк} many {# строк} other {# строки}} и запись одной транзакцией…',
  'ws.csv.progress':
    'Записано {done} из {total, plural, one {# изменённой строки} few {# изменённых строк} many {# изменённых строк} other {# изменённой строки}}…',
  'ws.csv.applied': 'Применено: изменено перемещений — {changed}, без изменений — {unchanged}.',
  'ws.csv.apply_conflict':
    'Не применено, ничего не записано: цифры изменились после проверки (или файл уже применён). Проверьте файл снова.',
  'ws.csv.apply_invalid':
    'Не применено, ничего не записано: файл больше не проходит проверку по текущим данным.',
  'ws.csv.apply_failed': 'Не применено, ничего не записано: база данных не ответила. Повторите.',
  'csv.unreadable': 'Файл не является корректным CSV.',
  'csv.empty': 'Файл пуст.',
  'csv.no_rows': 'В файле есть заголовок, но нет строк.',
  'csv.control_character':
    'В этой строке есть управляющий символ (например, NUL): файл не является обычным текстом CSV.',
  'csv.encoding': 'Файл не в кодировке UTF-8. Сохраните как «CSV UTF-8».',
  'csv.file_required': 'Выберите файл CSV.',
  'csv.unknown_column': 'Неизвестный столбец.',
  'csv.missing_column': 'Нет столбца.',
  'csv.missing_key': 'Нужен столбец movement_id или столбцы route и movement.',
  'csv.duplicate_column': 'Столбец повторяется.',
  'csv.too_many_rows':
    'Не более {max, plural, one {# строки} few {# строк} many {# строк} other {# строки}} в файле.',
  'csv.wrong_cell_count': 'В строке другое число ячеек, чем в заголовке.',
  'csv.other_operation': 'Строка относится к другой операции.',
  'csv.unknown_movement': 'В этой операции нет такого перемещения.',
  'csv.key_mismatch': 'movement_id не совпадает с route и movement.',
  'csv.duplicate_movement': 'Это перемещение уже есть в строке {row}.',
  'csv.version_changed': 'Изменено после экспорта файла (сейчас версия {current}). Сделайте экспорт заново.',
  'csv.version_invalid': 'У перемещения не было такой версии (сейчас {current}). Сделайте экспорт заново.',
  'csv.cell_conflict':
    'После экспорта это значение изменил(а) {who} (сейчас {current}), и в файле оно тоже изменено: проверьте и сделайте экспорт заново.',
  'csv.unknown_source': 'Нет источника с таким коротким именем.',
  'upload.invalid': 'Не удалось прочитать загрузку.',
  'ws.csv.label_change': 'Название — {language}: {from} → {to}',
  'csv.label_is_key':
    'Название на рабочем языке операции — ключ перемещения: переименуйте его в форме перемещения.',
  'csv.label_stale':
    'Перемещение изменилось после выгрузки файла, а файл меняет этот перевод: выгрузите файл заново.',
  'csv.label_too_long': 'Не больше {max} символов.',
} satisfies Translation<typeof en>;
