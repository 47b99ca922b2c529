import type { CsvText } from './messages';

/**
 * Bytes to text for the CSV preflight: UTF-8 only (with or without BOM), decoded strictly so a
 * file saved in another encoding is refused with a sentence that says how to fix it, instead of
 * silently turning "Müller" into "M�ller" and issuing tokens for the wrong subject.
 */

export type FileProblemCode =
  | 'not_utf8'
  | 'spreadsheet_file'
  | 'empty_file'
  | 'file_too_large'
  | 'too_many_rows'
  | 'record_too_large'
  | 'wrong_delimiter'
  | 'bad_header'
  | 'unreadable';

/**
 * A problem with the file as a whole: preflight stops and shows it. `texts` say it in any language
 * (one sentence each: a header may have several problems); `message` is the English, for logs.
 */
export class CsvFileError extends Error {
  constructor(
    readonly code: FileProblemCode,
    message: string,
    readonly texts: CsvText[] = [],
  ) {
    super(message);
    this.name = 'CsvFileError';
  }
}

const text = (key: CsvText['key'], values?: CsvText['values']): CsvText[] => [{ key, ...(values ? { values } : {}) }];

const SAVE_AS_UTF8 =
  'Save it as "CSV UTF-8 (Comma delimited)" (Excel) or with UTF-8 encoding (other editors) and upload it again.';

/** Checks the first bytes of a file for encodings and formats that are certainly not UTF-8 CSV. */
export function sniffFileStart(head: Uint8Array): void {
  const [b0, b1, b2, b3] = head;
  if (b0 === 0xff && b1 === 0xfe)
    throw new CsvFileError(
      'not_utf8',
      `The file is UTF-16 (little-endian) text, not UTF-8. ${SAVE_AS_UTF8}`,
      text('csvFile.utf16', { order: 'LE' }),
    );
  if (b0 === 0xfe && b1 === 0xff)
    throw new CsvFileError(
      'not_utf8',
      `The file is UTF-16 (big-endian) text, not UTF-8. ${SAVE_AS_UTF8}`,
      text('csvFile.utf16', { order: 'BE' }),
    );
  if (b0 === 0x50 && b1 === 0x4b && b2 === 0x03 && b3 === 0x04) {
    throw new CsvFileError(
      'spreadsheet_file',
      'The file is a spreadsheet workbook (.xlsx/.ods), not CSV. Save it as "CSV UTF-8" first.',
      text('csvFile.workbook', { format: '.xlsx/.ods' }),
    );
  }
  if (b0 === 0xd0 && b1 === 0xcf && b2 === 0x11 && b3 === 0xe0) {
    throw new CsvFileError(
      'spreadsheet_file',
      'The file is an old Excel workbook (.xls), not CSV. Save it as "CSV UTF-8" first.',
      text('csvFile.workbook', { format: '.xls' }),
    );
  }
  const probe = head.subarray(0, 4096);
  if (probe.includes(0)) {
    throw new CsvFileError(
      'not_utf8',
      `The file contains NUL bytes: it is UTF-16 without a byte order mark or not a text file. ${SAVE_AS_UTF8}`,
      text('csvFile.nulBytes'),
    );
  }
}

/** Index of the first byte that cannot start or continue a valid UTF-8 sequence, or -1. */
export function findInvalidUtf8(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const byte = bytes[i]!;
    if (byte < 0x80) {
      i++;
      continue;
    }
    const length =
      byte >= 0xc2 && byte <= 0xdf ? 2 : byte >= 0xe0 && byte <= 0xef ? 3 : byte >= 0xf0 && byte <= 0xf4 ? 4 : 0;
    if (length === 0) return i;
    if (i + length > bytes.length) return -1; // may continue in the next chunk
    for (let k = 1; k < length; k++) if ((bytes[i + k]! & 0xc0) !== 0x80) return i;
    i += length;
  }
  return -1;
}

/**
 * Strict streaming UTF-8 decoder. `decode` throws a `CsvFileError` naming the byte offset and
 * the likely encoding when the bytes are not UTF-8. A leading BOM is dropped.
 */
export class StrictUtf8Decoder {
  private readonly decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  private offset = 0;

  decode(bytes: Uint8Array, final = false): string {
    try {
      const text = this.decoder.decode(bytes, { stream: !final });
      this.offset += bytes.length;
      return text;
    } catch {
      const local = findInvalidUtf8(bytes);
      const position = this.offset + Math.max(local, 0);
      const byte = local >= 0 ? bytes[local] : undefined;
      const what =
        byte === undefined
          ? 'an incomplete UTF-8 character at the end'
          : `byte 0x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
      // 0x80-0xFF bytes standing alone are how Windows-1252 / ISO-8859-1 write accented letters.
      throw new CsvFileError(
        'not_utf8',
        `The file is not valid UTF-8 (${what} at byte ${position}); it looks like Windows-1252 or ISO-8859-1. ${SAVE_AS_UTF8}`,
        byte === undefined
          ? text('csvFile.incompleteUtf8', { position })
          : text('csvFile.invalidUtf8', {
              byte: `0x${byte.toString(16).toUpperCase().padStart(2, '0')}`,
              position,
            }),
      );
    }
  }
}
