/**
 * The rows of the token and audit CSV exports, shared by the browser export (small lists) and the
 * server's export job (large ones), so both write the same columns with the same escaping.
 */
import type { Client, Token } from '@/lib/schemas';
import type { AuditRecord } from '@/lib/schemas/audit';
import { formatUtc } from '@/lib/format';
import { csvCell, csvLine, UTF8_BOM } from './csv-writer';

export const exportColumns = [
  'accessTokenHash',
  'refreshTokenHash',
  'subject',
  'clientId',
  'clientName',
  'grantType',
  'scopes',
  'createdAt',
  'accessTokenExpiresAt',
  'lastRefreshedAt',
  'refreshTokenExpiresAt',
] as const;

function time(ms: number, zero: string): string {
  return ms === 0 ? zero : formatUtc(ms);
}

/**
 * One CSV line per token. Hashes are written verbatim: they are base64url (no quotes, commas or
 * spaces) and must stay byte-exact to be pasted back into Token Desk; every other cell is escaped
 * against spreadsheet formula injection.
 */
export function tokenCsvLine(token: Token, clients: ReadonlyMap<string, Pick<Client, 'clientName'>>): string {
  return csvLine([
    token.accessTokenHash,
    token.refreshTokenHash ?? '',
    csvCell(token.subject ?? ''),
    csvCell(token.clientId),
    csvCell(clients.get(token.clientId)?.clientName ?? ''),
    csvCell(token.grantType),
    csvCell(token.scopes.join(' ')),
    csvCell(formatUtc(token.createdAt)),
    csvCell(time(token.accessTokenExpiresAt, 'never')),
    csvCell(time(token.lastRefreshedAt, 'never')),
    csvCell(time(token.refreshTokenExpiresAt, token.refreshTokenHash ? 'never' : '')),
  ]);
}

/** The header line alone; a file starts with the byte order mark before it (`tokenExportHeader`). */
export const tokenColumnsLine = csvLine([...exportColumns]);
export const tokenExportHeader = UTF8_BOM + tokenColumnsLine;

export const auditExportColumns = [
  'occurredAt',
  'action',
  'outcome',
  'actorEmail',
  'actorRole',
  'subject',
  'clientId',
  'tokenHash',
  'batchRequestId',
  'count',
  'reason',
  'errorCode',
  'requestId',
  'ip',
  'details',
] as const;

/** Every cell escaped against spreadsheet formulas; details as JSON. */
export function auditCsvLine(record: AuditRecord): string {
  return csvLine([
    csvCell(formatUtc(record.occurredAt)),
    csvCell(record.action),
    csvCell(record.outcome),
    csvCell(record.actor?.email),
    csvCell(record.actor?.role),
    csvCell(record.target.subject),
    csvCell(record.target.clientId),
    csvCell(record.target.tokenHash),
    csvCell(record.target.batchRequestId),
    csvCell(record.count),
    csvCell(record.reason),
    csvCell(record.errorCode),
    csvCell(record.requestId),
    csvCell(record.ip),
    csvCell(Object.keys(record.details).length ? JSON.stringify(record.details) : ''),
  ]);
}

export const auditColumnsLine = csvLine([...auditExportColumns]);
export const auditExportHeader = UTF8_BOM + auditColumnsLine;
