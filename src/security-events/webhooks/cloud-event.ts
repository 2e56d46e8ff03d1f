/**
 * A CloudEvents 1.0 event in its JSON format (structured mode). Built here rather than with the
 * `cloudevents` SDK: the JSON form is eight fields, and the SDK brings browser polyfills and a
 * schema validator into the service for them.
 */
export interface CloudEvent<T> {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  subject?: string;
  time: string;
  datacontenttype: 'application/json';
  data: T;
}

/** The `source` of every event this service emits. */
export const CLOUD_EVENT_SOURCE = '/iomt/security-events';

export function cloudEvent<T>(fields: { id: string; type: string; subject?: string | null; time: Date; data: T }): CloudEvent<T> {
  return {
    specversion: '1.0',
    id: fields.id,
    source: CLOUD_EVENT_SOURCE,
    type: fields.type,
    ...(fields.subject ? { subject: fields.subject } : {}),
    time: fields.time.toISOString(),
    datacontenttype: 'application/json',
    data: fields.data,
  };
}
