/** Post-lending monitoring calls (/v1/warnings, /v1/monitoring/*, /v1/lines/:id/freeze), typed from the server's OpenAPI document. */
import { api, ok, type Answer } from './api';

export type WarningRow = Answer<'/v1/warnings', 'get'>[number];
export type WarningTask = Answer<'/v1/monitoring/tasks', 'get'>[number];
export type WarningTrend = Answer<'/v1/warnings/trend', 'get'>;
export type WarningLevel = WarningRow['level'];
export type WarningRule = WarningRow['rule'];
export type WarningStatus = WarningRow['status'];
export const WARNING_LEVEL_LIST: readonly WarningLevel[] = ['blue', 'yellow', 'orange', 'red'];
export const WARNING_STATUS_LIST: readonly WarningStatus[] = ['open', 'acknowledged', 'resolved', 'dismissed'];

export interface WarningFilter {
  readonly level?: WarningLevel;
  readonly rule?: WarningRule;
  readonly status?: WarningStatus;
  readonly region?: string;
  readonly assignee?: string;
}

export const listWarnings = (filter: WarningFilter) => ok(api.GET('/v1/warnings', { params: { query: { ...filter, limit: '200' } } }));
export const acknowledgeWarning = (id: string) => ok(api.POST('/v1/warnings/{id}/acknowledge', { params: { path: { id } }, body: {} }));
export const resolveWarning = (id: string, note: string) => ok(api.POST('/v1/warnings/{id}/resolve', { params: { path: { id } }, body: { note } }));
export const dismissWarning = (id: string, note: string) => ok(api.POST('/v1/warnings/{id}/dismiss', { params: { path: { id } }, body: { note } }));
export const listTasks = () => ok(api.GET('/v1/monitoring/tasks', { params: { query: { status: 'open', limit: '200' } } }));
export const completeTask = (id: string) => api.POST('/v1/monitoring/tasks/{id}/done', { params: { path: { id } }, body: {} });
export const warningTrend = () => ok(api.GET('/v1/warnings/trend'));
export const falseAlarmRates = () => ok(api.GET('/v1/warnings/false-alarm-rates'));
export const lineFreeze = (id: string) => ok(api.GET('/v1/lines/{id}/freeze', { params: { path: { id } } }));
export type WarningActionRow = Answer<'/v1/warning-actions', 'get'>[number];
export const warningActions = (warningId: string) => ok(api.GET('/v1/warning-actions', { params: { query: { warningId, limit: '50' } } }));
export const askUndoAction = (id: string, reason: string) => ok(api.POST('/v1/warning-actions/{id}/undo', { params: { path: { id } }, body: { reason } }));
