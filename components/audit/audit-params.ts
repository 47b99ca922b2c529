/**
 * The audit page's filters and page as URL search params (parsed by hand like the token list;
 * the server validates again with the shared schema).
 */
import type { AuditAction, AuditOutcome } from '@/lib/schemas/audit';

export const auditPageSizes = [20, 50, 100] as const;
export type AuditPageSize = (typeof auditPageSizes)[number];
const DEFAULT_PAGE_SIZE: AuditPageSize = 50;

export interface AuditParams {
  actor: string;
  action: AuditAction | '';
  outcome: AuditOutcome | '';
  subject: string;
  /** A service slug to show only that service's entries; '' = every service. */
  service: string;
  /** ms since epoch, inclusive; null = open. */
  from: number | null;
  /** ms since epoch, exclusive; null = open. */
  to: number | null;
  page: number;
  pageSize: AuditPageSize;
}

export const defaultAuditParams: AuditParams = {
  actor: '',
  action: '',
  outcome: '',
  subject: '',
  service: '',
  from: null,
  to: null,
  page: 1,
  pageSize: DEFAULT_PAGE_SIZE,
};

interface ReadableParams {
  get(name: string): string | null;
}

function time(value: string | null): number | null {
  if (!value) return null;
  const ms = Number(value);
  return Number.isInteger(ms) && ms >= 0 ? ms : null;
}

export function parseAuditParams(search: ReadableParams, actions: readonly AuditAction[]): AuditParams {
  const action = search.get('action') ?? '';
  const outcome = search.get('outcome') ?? '';
  const page = Number(search.get('page'));
  const pageSize = Number(search.get('pageSize'));
  return {
    actor: (search.get('actor') ?? '').trim(),
    action: actions.includes(action as AuditAction) ? (action as AuditAction) : '',
    outcome: outcome === 'success' || outcome === 'failure' ? outcome : '',
    subject: (search.get('subject') ?? '').trim(),
    service: (search.get('service') ?? '').trim(),
    from: time(search.get('from')),
    to: time(search.get('to')),
    page: Number.isInteger(page) && page >= 1 ? page : 1,
    pageSize: auditPageSizes.includes(pageSize as AuditPageSize) ? (pageSize as AuditPageSize) : DEFAULT_PAGE_SIZE,
  };
}

export function serializeAuditParams(params: AuditParams): string {
  const search = new URLSearchParams();
  for (const key of ['actor', 'action', 'outcome', 'subject', 'service'] as const)
    if (params[key]) search.set(key, params[key]);
  if (params.from !== null) search.set('from', String(params.from));
  if (params.to !== null) search.set('to', String(params.to));
  if (params.page !== 1) search.set('page', String(params.page));
  if (params.pageSize !== DEFAULT_PAGE_SIZE) search.set('pageSize', String(params.pageSize));
  const text = search.toString();
  return text ? `?${text}` : '';
}

/** Query of `GET /api/audit` as the browser sends it (the shared schema coerces it on the server). */
export type AuditQuery = Record<'actor' | 'action' | 'outcome' | 'subject' | 'service', string | undefined> &
  Record<'from' | 'to', number | undefined> & { page: number; pageSize: number };

/** The API query for these params (empty filters left out). */
export function auditQuery(params: AuditParams): AuditQuery {
  return {
    actor: params.actor || undefined,
    action: params.action || undefined,
    outcome: params.outcome || undefined,
    subject: params.subject || undefined,
    service: params.service || undefined,
    from: params.from ?? undefined,
    to: params.to ?? undefined,
    page: params.page,
    pageSize: params.pageSize,
  };
}
