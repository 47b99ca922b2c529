import Papa from 'papaparse';
import type { CsvText } from './messages';
import type { Client } from '@/lib/schemas';
import { describeHeaderProblem, mapHeader, type CsvColumn, type HeaderMapping, type HeaderProblem } from './columns';
import { CsvFileError, StrictUtf8Decoder, sniffFileStart } from './decode';
import { RowStore } from './row-store';
import {
  createCsvRowSchema,
  grantTypesWithoutRefreshToken,
  issueColumn,
  type CsvRecord,
  type CsvRowSchema,
} from './row-schema';

/** Limits that keep a hostile or mistaken file from exhausting the tab. */
export interface CsvLimits {
  maxFileBytes: number;
  maxRows: number;
  /** Longest single cell, in characters. */
  maxFieldChars: number;
  /** Longest record (or an unclosed quote swallowing the rest of the file), in characters. */
  maxRecordChars: number;
  /** Invalid-row issues kept for the table and the error report; counts stay exact beyond it. */
  maxIssues: number;
}

export const defaultCsvLimits: CsvLimits = {
  maxFileBytes: 256 * 1024 * 1024,
  maxRows: 1_000_000,
  maxFieldChars: 4096,
  maxRecordChars: 1024 * 1024,
  maxIssues: 100_000,
};

/** What the live service says, fetched through the BFF before parsing starts. */
export interface ServiceFacts {
  clients: readonly Client[];
  supportedScopes: readonly string[];
}

export interface RowIssue {
  /** Line of the file where the record starts (the header is line 1). */
  line: number;
  /** Column the problem is in; undefined for the record as a whole. */
  column?: CsvColumn;
  /** In English (logs, tests); `text` says it in any language. */
  message: string;
  text?: CsvText;
  /** The offending cell (never for token value columns), shortened. */
  value?: string;
}

/**
 * Valid rows are kept for submission in a `RowStore`: each token create request exactly as the
 * shared schema produced it (without generated values), compactly encoded, its line, and which
 * values still need generating (the NEEDS_* bits).
 */
export type ValidRows = RowStore;

export const NEEDS_ACCESS_TOKEN = 1;
export const NEEDS_REFRESH_TOKEN = 2;

export interface PreflightSummary {
  /** Data records (blank lines not counted). */
  totalRows: number;
  validRows: number;
  invalidRows: number;
  /** Issues beyond `maxIssues` were counted but not kept. */
  issuesTruncated: boolean;
  suppliedAccessTokens: number;
  generatedAccessTokens: number;
  generatedRefreshTokens: number;
  bytes: number;
}

const secretColumns: ReadonlySet<CsvColumn> = new Set<CsvColumn>(['accessToken', 'refreshToken']);
const MAX_SHOWN_VALUE = 200;

/** A fresh copy of (at most 200 characters of) a cell, so it does not pin the chunk it was sliced from. */
function detachedExcerpt(value: string): string {
  return ` ${value.slice(0, MAX_SHOWN_VALUE)}`.slice(1);
}

/** cyrb53: a fast 53-bit string hash; collisions are resolved by comparing the real values. */
function hash53(text: string): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return 4294967296 * (2097151 & h2) + (h1 >>> 0);
}

/** Papaparse reads from anything with on/removeListener/pause/resume/read; this feeds it decoded text synchronously. */
class TextFeed {
  readonly readable = true;
  private readonly listeners = new Map<string, ((chunk?: string) => void)[]>();
  on(event: string, listener: (chunk?: string) => void) {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
  }
  removeListener(event: string, listener: (chunk?: string) => void) {
    this.listeners.set(
      event,
      (this.listeners.get(event) ?? []).filter((l) => l !== listener),
    );
  }
  read() {}
  pause() {}
  resume() {}
  emit(event: 'data' | 'end', chunk?: string) {
    for (const listener of this.listeners.get(event) ?? []) listener(chunk);
  }
}

/**
 * Streaming preflight of a bulk-issuing CSV file: feed it bytes with `push`, then `finish`.
 * Checks the encoding, the header, every row against the shared schema and the live service
 * (client exists, scopes supported), duplicate rows and duplicate supplied token values.
 * A problem with the file as a whole throws `CsvFileError`; row problems become `issues`.
 */
export class CsvPreflight {
  readonly issues: RowIssue[] = [];
  readonly rows = new RowStore();
  header: HeaderMapping | undefined;

  private readonly decoder = new StrictUtf8Decoder();
  private readonly feed = new TextFeed();
  private readonly schema: CsvRowSchema;
  private readonly clientIds: ReadonlySet<string>;
  private readonly supportedScopes: ReadonlySet<string>;
  /** hash53(encoded row) → index in `rows` of the first row with it, for duplicate rows. */
  private readonly rowIndexByBodyHash = new Map<number, number>();
  /** hash53(token value) → index in `rows` of the row that supplied it. */
  private readonly rowIndexByValueHash = new Map<number, number>();
  private failure: unknown;
  private bytes = 0;
  private charsFed = 0;
  private charsParsed = 0;
  /** Line the next record starts on. */
  private nextLine = 1;
  private newline = '\n';
  private headerWidth = 0;
  private totalRows = 0;
  private invalidRows = 0;
  private suppliedAccessTokens = 0;
  private generatedAccessTokens = 0;
  private generatedRefreshTokens = 0;
  private finished = false;
  private parserDone = false;
  private parserStarted = false;
  /** Text before the first line break is known. */
  private head = '';

  constructor(
    facts: ServiceFacts,
    private readonly limits: CsvLimits = defaultCsvLimits,
  ) {
    const clientIdByAlias = new Map<string, string>();
    for (const client of facts.clients)
      if (client.clientIdAlias) clientIdByAlias.set(client.clientIdAlias, client.clientId);
    this.schema = createCsvRowSchema({ clientIdByAlias });
    this.clientIds = new Set(facts.clients.map((client) => client.clientId));
    this.supportedScopes = new Set(facts.supportedScopes);
  }

  /**
   * Papaparse guesses the line break from the first text it sees and keeps the guess; fed small
   * pieces it would guess wrong. So the parser starts once the first line break is known.
   */
  private startParser(linebreak: '\r\n' | '\n' | '\r') {
    this.parserStarted = true;
    this.newline = linebreak === '\r' ? '\r' : '\n';
    Papa.parse<string[], File>(this.feed as unknown as File, {
      delimiter: ',',
      newline: linebreak,
      skipEmptyLines: false,
      chunk: (results) => this.onChunk(results),
      complete: () => {
        this.parserDone = true;
      },
      error: (error: Error) => {
        this.failure ??= error;
      },
    });
  }

  /** The first line break of the text, once it can be told ("\r" at the very end might be "\r\n"). */
  private static detectLinebreak(text: string, final: boolean): '\r\n' | '\n' | '\r' | undefined {
    const at = text.search(/[\r\n]/);
    if (at === -1) return final ? '\n' : undefined;
    if (text[at] === '\n') return '\n';
    if (at === text.length - 1) return final ? '\r' : undefined;
    return text[at + 1] === '\n' ? '\r\n' : '\r';
  }

  /** Feed the next bytes of the file. Throws `CsvFileError` for a problem with the whole file. */
  push(bytes: Uint8Array): void {
    if (this.bytes === 0) {
      if (bytes.length === 0) return;
      sniffFileStart(bytes);
    }
    this.bytes += bytes.length;
    if (this.bytes > this.limits.maxFileBytes) {
      throw new CsvFileError(
        'file_too_large',
        `The file is larger than ${formatBytes(this.limits.maxFileBytes)}; split it into smaller files.`,
        [{ key: 'csvFile.fileTooLarge', values: { size: formatBytes(this.limits.maxFileBytes) } }],
      );
    }
    this.feedText(this.decoder.decode(bytes));
  }

  /** Ends the input and returns the summary. */
  finish(): PreflightSummary {
    if (!this.finished) {
      this.finished = true;
      this.feedText(this.decoder.decode(new Uint8Array(), true), true);
      this.feed.emit('end');
      this.rethrow();
      if (!this.parserDone)
        throw new CsvFileError('unreadable', 'The CSV parser stopped before the end of the file.', [
          { key: 'csvFile.parserStopped' },
        ]);
      if (this.bytes === 0 || !this.header)
        throw new CsvFileError('empty_file', 'The file is empty: it needs a header row and at least one row of data.', [
          { key: 'csvFile.empty' },
        ]);
      if (this.totalRows === 0)
        throw new CsvFileError('empty_file', 'The file has a header row but no data rows.', [
          { key: 'csvFile.noDataRows' },
        ]);
    }
    return this.summary();
  }

  summary(): PreflightSummary {
    return {
      totalRows: this.totalRows,
      validRows: this.rows.size,
      invalidRows: this.invalidRows,
      issuesTruncated: this.issues.length >= this.limits.maxIssues && this.invalidRows > 0,
      suppliedAccessTokens: this.suppliedAccessTokens,
      generatedAccessTokens: this.generatedAccessTokens,
      generatedRefreshTokens: this.generatedRefreshTokens,
      bytes: this.bytes,
    };
  }

  private feedText(text: string, final = false) {
    if (!this.parserStarted) {
      this.head += text;
      const linebreak = CsvPreflight.detectLinebreak(this.head, final);
      if (!linebreak) {
        if (this.head.length > this.limits.maxRecordChars) {
          throw new CsvFileError(
            'record_too_large',
            `The first line is longer than ${formatBytes(this.limits.maxRecordChars)}; this is not a CSV file with a header row.`,
            [{ key: 'csvFile.firstLineTooLong', values: { size: formatBytes(this.limits.maxRecordChars) } }],
          );
        }
        return;
      }
      this.startParser(linebreak);
      text = this.head;
      this.head = '';
    }
    if (text.length === 0) return;
    this.charsFed += text.length;
    this.feed.emit('data', text);
    this.rethrow();
    // Papaparse keeps an unfinished record in memory and re-reads it with every chunk; a record
    // this long is an unclosed quote or not a CSV record at all.
    if (this.charsFed - this.charsParsed > this.limits.maxRecordChars) {
      throw new CsvFileError(
        'record_too_large',
        `The record starting on line ${this.nextLine} is longer than ${formatBytes(this.limits.maxRecordChars)}: most likely a quote (") that is never closed.`,
        [
          {
            key: 'csvFile.recordTooLong',
            values: { line: this.nextLine, size: formatBytes(this.limits.maxRecordChars) },
          },
        ],
      );
    }
  }

  private rethrow() {
    if (this.failure !== undefined) {
      const failure = this.failure;
      this.failure = undefined;
      if (failure instanceof CsvFileError) throw failure;
      throw new CsvFileError('unreadable', `The file could not be parsed as CSV (${String(failure)}).`, [
        { key: 'csvFile.parseFailed', values: { detail: String(failure) } },
      ]);
    }
  }

  private onChunk(results: Papa.ParseResult<string[]>) {
    if (this.failure !== undefined) return;
    try {
      this.charsParsed = results.meta.cursor;
      const quoteErrors = new Map<number, Papa.ParseError>();
      for (const error of results.errors)
        if (error.row !== undefined && error.type === 'Quotes') quoteErrors.set(error.row, error);
      const records = results.data;
      for (let i = 0; i < records.length; i++) this.onRecord(records[i]!, quoteErrors.get(i));
    } catch (error) {
      this.failure = error;
    }
  }

  private onRecord(fields: string[], quoteError: Papa.ParseError | undefined) {
    const line = this.nextLine;
    let extraLines = 0;
    for (const field of fields) {
      let at = field.indexOf(this.newline);
      while (at !== -1) {
        extraLines++;
        at = field.indexOf(this.newline, at + 1);
      }
    }
    this.nextLine = line + 1 + extraLines;
    if (fields.length === 1 && fields[0]!.trim() === '') return; // blank line

    if (!this.header) {
      this.onHeader(fields);
      return;
    }
    this.totalRows++;
    if (this.totalRows > this.limits.maxRows) {
      throw new CsvFileError(
        'too_many_rows',
        `The file has more than ${this.limits.maxRows.toLocaleString('en')} rows; split it into smaller files.`,
        [{ key: 'csvFile.tooManyRows', values: { rows: this.limits.maxRows } }],
      );
    }
    if (quoteError) {
      this.addIssues(line, [
        {
          ...(quoteError.code === 'MissingQuotes'
            ? { message: 'A quoted value is never closed (missing ").', text: { key: 'batches.csv.quoteUnclosed' } }
            : {
                message:
                  'A quote (") appears inside an unquoted value; quote the whole value and double the inner quotes ("").',
                text: { key: 'batches.csv.quoteInside' },
              }),
        },
      ]);
      return;
    }
    if (fields.length !== this.headerWidth) {
      this.addIssues(line, [
        {
          message: `Has ${fields.length} values but the header has ${this.headerWidth}${
            fields.length > this.headerWidth ? '; a value containing a comma must be in double quotes' : ''
          }.`,
          text: {
            key: fields.length > this.headerWidth ? 'batches.csv.tooManyValues' : 'batches.csv.tooFewValues',
            values: { count: fields.length, expected: this.headerWidth },
          },
        },
      ]);
      return;
    }
    this.onDataRecord(fields, line);
  }

  private onHeader(fields: string[]) {
    if (fields.length === 1) {
      const only = fields[0]!;
      const separator = only.includes(';')
        ? { words: 'semicolons (;)', kind: 'semicolon' }
        : only.includes('\t')
          ? { words: 'tabs', kind: 'tab' }
          : only.includes('|')
            ? { words: 'vertical bars (|)', kind: 'bar' }
            : undefined;
      if (separator) {
        throw new CsvFileError(
          'wrong_delimiter',
          `The file separates columns with ${separator.words}; Token Desk reads comma-separated files. Save it as "CSV UTF-8 (Comma delimited)".`,
          [{ key: 'csvFile.wrongDelimiter', values: { separator: separator.kind } }],
        );
      }
    }
    const header = mapHeader(fields);
    if (header.problems.length > 0) {
      throw new CsvFileError(
        'bad_header',
        header.problems.map(describeHeaderProblem).join(' '),
        header.problems.map(headerProblemText),
      );
    }
    this.header = header;
    this.headerWidth = fields.length;
  }

  private onDataRecord(fields: string[], line: number) {
    const header = this.header!;
    const record: CsvRecord = {};
    const problems: Omit<RowIssue, 'line'>[] = [];
    for (let i = 0; i < fields.length; i++) {
      const column = header.columnAt[i];
      if (column === undefined) continue;
      const value = fields[i]!;
      if (value.length > this.limits.maxFieldChars) {
        problems.push({
          column,
          message: `Is ${value.length.toLocaleString('en')} characters long; at most ${this.limits.maxFieldChars.toLocaleString('en')} are allowed.`,
          text: { key: 'batches.csv.cellTooLong', values: { length: value.length, max: this.limits.maxFieldChars } },
        });
      } else {
        record[column] = value;
      }
    }
    if (problems.length > 0) return this.addIssues(line, problems);

    const parsed = this.schema.safeParse(record);
    if (!parsed.success) {
      return this.addIssues(
        line,
        parsed.error.issues.map((issue) => {
          const column = issueColumn(issue.path);
          const cell = column ? record[column] : undefined;
          return {
            column,
            message: issue.message,
            text: issue.code === 'custom' ? (issue.params as { text?: CsvText } | undefined)?.text : undefined,
            value:
              cell && cell.trim() !== '' && column && !secretColumns.has(column) ? detachedExcerpt(cell) : undefined,
          };
        }),
      );
    }
    const row = parsed.data;
    if (!this.clientIds.has(row.clientId)) {
      problems.push({
        column: 'clientId',
        message: `No client with ID ${row.clientId} exists on this service.`,
        text: { key: 'batches.csv.unknownClient', values: { clientId: row.clientId } },
        value: detachedExcerpt(record.clientId ?? ''),
      });
    }
    const unsupported = row.scopes.filter((scope) => !this.supportedScopes.has(scope));
    if (unsupported.length > 0) {
      problems.push({
        column: 'scopes',
        message: `${unsupported.length === 1 ? 'Scope' : 'Scopes'} ${unsupported.map((s) => `"${s}"`).join(', ')} ${unsupported.length === 1 ? 'is' : 'are'} not supported by the service.`,
        // The scope names are wire identifiers, listed as they are in either language.
        text: {
          key: 'batches.csv.unsupportedScopes',
          values: { count: unsupported.length, scopes: unsupported.map((s) => `"${s}"`).join(', ') },
        },
        value: detachedExcerpt(record.scopes ?? ''),
      });
    }
    const body = this.rows.codec.encode(row);
    const bodyHash = hash53(body);
    const duplicateOf = this.rowIndexByBodyHash.get(bodyHash);
    if (duplicateOf !== undefined && this.rows.body(duplicateOf) === body) {
      problems.push({
        message: `Duplicates line ${this.rows.line(duplicateOf)} (same values in every column).`,
        text: { key: 'batches.csv.duplicateRow', values: { line: this.rows.line(duplicateOf) } },
      });
    }
    for (const column of ['accessToken', 'refreshToken'] as const) {
      const value = row[column];
      if (value === undefined) continue;
      const earlier = this.findSuppliedValue(value);
      if (earlier !== undefined)
        problems.push({
          column,
          message: `The same token value is already supplied on line ${earlier}; every token value must be unique.`,
          text: { key: 'batches.csv.duplicateValue', values: { line: earlier } },
        });
    }
    if (problems.length > 0) return this.addIssues(line, problems);

    let needs = 0;
    if (row.accessToken === undefined) {
      needs |= NEEDS_ACCESS_TOKEN;
      this.generatedAccessTokens++;
    } else {
      this.suppliedAccessTokens++;
    }
    if (row.refreshToken === undefined && !grantTypesWithoutRefreshToken.has(row.grantType)) {
      needs |= NEEDS_REFRESH_TOKEN;
      this.generatedRefreshTokens++;
    }
    const index = this.rows.push(body, line, needs);
    if (!this.rowIndexByBodyHash.has(bodyHash)) this.rowIndexByBodyHash.set(bodyHash, index);
    if (row.accessToken !== undefined) this.rowIndexByValueHash.set(hash53(row.accessToken), index);
    if (row.refreshToken !== undefined) this.rowIndexByValueHash.set(hash53(row.refreshToken), index);
  }

  /** Line of an earlier valid row that supplied `value` as its access or refresh token. */
  private findSuppliedValue(value: string): number | undefined {
    const index = this.rowIndexByValueHash.get(hash53(value));
    if (index === undefined) return undefined;
    const earlier = this.rows.row(index);
    return earlier.accessToken === value || earlier.refreshToken === value ? this.rows.line(index) : undefined;
  }

  private addIssues(line: number, problems: Omit<RowIssue, 'line'>[]) {
    this.invalidRows++;
    for (const problem of problems) {
      if (this.issues.length >= this.limits.maxIssues) break;
      this.issues.push({ line, ...problem });
    }
  }
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${Math.round((bytes / (1024 * 1024)) * 10) / 10} MB`;
  if (bytes >= 1024) return `${Math.round((bytes / 1024) * 10) / 10} KB`;
  return `${bytes} bytes`;
}

/** A header problem in a form any language can say (describeHeaderProblem is the English). */
function headerProblemText(problem: HeaderProblem): CsvText {
  switch (problem.kind) {
    case 'missing':
      return { key: 'csvFile.missingColumn', values: { column: problem.column } };
    case 'unknown':
      return problem.suggestion
        ? {
            key: 'csvFile.unknownColumnSuggested',
            values: { position: problem.position + 1, header: problem.header, suggestion: problem.suggestion },
          }
        : {
            key: 'csvFile.unknownColumn',
            values: { position: problem.position + 1, header: problem.header },
          };
    case 'duplicate':
      return {
        key: 'csvFile.duplicateColumn',
        values: { column: problem.column, first: problem.positions[0] + 1, second: problem.positions[1] + 1 },
      };
    case 'empty':
      return { key: 'csvFile.emptyHeader', values: { position: problem.position + 1 } };
  }
}
