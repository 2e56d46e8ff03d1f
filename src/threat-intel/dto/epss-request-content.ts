import type { MediaTypeObject } from '@nestjs/swagger';

/** The EPSS upload's two media types, each with what it carries (see ApiRequestContent). */
export const EPSS_REQUEST_CONTENT: Record<string, MediaTypeObject> = {
  'text/csv': {
    schema: { type: 'string' },
    example: '#model_version:v2025.03.14,score_date:2025-08-25T12:55:00Z\ncve,epss,percentile\nCVE-2019-0708,0.94466,0.99959\nCVE-2020-11899,0.0187,0.82541\n',
  },
  'application/gzip': {
    schema: { type: 'string', format: 'binary', description: 'The same CSV, gzip-compressed (as FIRST publishes it: epss_scores-YYYY-MM-DD.csv.gz)' },
  },
};
