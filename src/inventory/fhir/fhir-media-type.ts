/** The FHIR JSON media type (FHIR R4 http.html#mime-type). */
export const FHIR_JSON = 'application/fhir+json';
