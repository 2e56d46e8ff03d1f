import type { SchemaObject } from '@nestjs/swagger';

/** The FHIR R4 Task resources the work orders are published as (https://hl7.org/fhir/R4/task.html), as work-order-to-fhir.ts builds them. */
const str: SchemaObject = { type: 'string' };
const dateTime: SchemaObject = { type: 'string', format: 'date-time' };
const text: SchemaObject = { type: 'object', properties: { text: str } };
const period: SchemaObject = { type: 'object', properties: { start: dateTime, end: dateTime } };

export const FHIR_TASK_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'FHIR R4 Task',
  required: ['resourceType', 'id', 'status', 'intent'],
  properties: {
    resourceType: { type: 'string', enum: ['Task'] },
    id: { type: 'string', format: 'uuid' },
    meta: { type: 'object', properties: { lastUpdated: dateTime } },
    status: {
      type: 'string',
      enum: ['requested', 'accepted', 'in-progress', 'completed', 'cancelled'],
      description: 'open: requested; scheduled: accepted; in_progress and verifying: in-progress; done: completed; cancelled and risk_accepted: cancelled',
    },
    businessStatus: { ...text, description: 'The work order status itself' },
    statusReason: text,
    intent: { type: 'string', enum: ['order'] },
    priority: { type: 'string', enum: ['stat', 'asap', 'routine'], description: 'immediate: stat; out_of_cycle: asap; scheduled and defer: routine' },
    code: text,
    description: str,
    focus: { type: 'object', properties: { reference: { type: 'string', example: 'Device/0b1f3c1e-8d38-4c56-9d6f-3f2a1c0e9b7d' } } },
    authoredOn: dateTime,
    lastModified: dateTime,
    owner: {
      type: 'object',
      description: 'The assignee (user id and name)',
      properties: { identifier: { type: 'object', properties: { value: str } }, display: str },
    },
    executionPeriod: { ...period, description: 'The maintenance window' },
    restriction: { type: 'object', properties: { period: { ...period, description: 'end: the due date' } } },
    note: { type: 'array', items: text },
    output: {
      type: 'array',
      description: 'When done: the firmware that proved the fix',
      items: { type: 'object', properties: { type: text, valueString: str } },
    },
  },
};

export const FHIR_TASK_SEARCHSET_SCHEMA: SchemaObject = {
  type: 'object',
  description: 'FHIR R4 Bundle, type searchset',
  properties: {
    resourceType: { type: 'string', enum: ['Bundle'] },
    type: { type: 'string', enum: ['searchset'] },
    link: { type: 'array', items: { type: 'object', properties: { relation: { type: 'string', enum: ['self', 'next'] }, url: str } } },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        properties: { fullUrl: str, resource: FHIR_TASK_SCHEMA, search: { type: 'object', properties: { mode: { type: 'string', enum: ['match'] } } } },
      },
    },
  },
};
